"""Gebruikers: the beheerder manages local accounts and roles (dashboard.store.accounts)."""

import streamlit as st

from dashboard import ui
from dashboard.store import accounts, auth
from dashboard.ui import edit_ui

ui.entry_guard()

st.title("Gebruikers")
ui.demo_marker()

engine, role, actor = ui.engine(), ui.current_role(), ui.current_username() or ""
if flash := st.session_state.pop("users_flash", None):
    st.success(ui.escape_md(flash), icon=":material/check_circle:")


def done(result) -> None:
    if result.ok:
        st.session_state["users_flash"] = result.message
        st.rerun()
    if result.problems:
        edit_ui.show_problems(result)
    else:
        st.error(ui.escape_md(result.message))


users = accounts.list_users(engine, role)
roles = accounts.role_choices()
ui.table(users, columns={"username": "Gebruikersnaam", "role": "Rol", "active": "Actief",
                         "locked": "Geblokkeerd", "must_change_password": "Moet wachtwoord wijzigen",
                         "is_demo": "Demo-account", "created_at": "Aangemaakt"},
         column_config={"Aangemaakt": st.column_config.DatetimeColumn(format="D MMM YYYY")})
st.caption(f"{accounts.PASSWORD_RULES} {auth.THROTTLE_RULE} Een nieuw of gereset wachtwoord "
           "moet bij de eerste keer inloggen worden gewijzigd.")

edit_tab, new_tab = st.tabs(["Account wijzigen", "Nieuw account"])
with edit_tab:
    by_id = {int(r["id"]): r for r in users.to_dict("records")}
    user_id = st.selectbox("Account", options=list(by_id), key="users_pick",
                           format_func=lambda i: by_id[i]["username"])
    if user_id is not None:
        user = by_id[user_id]
        with st.form(f"users-edit-{user_id}-{user['version']}", enter_to_submit=False):
            new_role = st.selectbox("Rol", options=list(roles), format_func=roles.get,
                                    index=list(roles).index(user["role"]))
            active = st.checkbox("Actief (mag inloggen)", value=bool(user["active"]))
            if st.form_submit_button("Opslaan", type="primary", icon=":material/save:"):
                done(accounts.update_user(engine, actor, role, user_id, int(user["version"]),
                                          new_role, active))
        with st.form(f"users-reset-{user_id}-{user['version']}", enter_to_submit=False):
            password = st.text_input("Tijdelijk wachtwoord", type="password", max_chars=200)
            if st.form_submit_button("Wachtwoord resetten", icon=":material/lock_reset:"):
                done(accounts.reset_password(engine, actor, role, user_id, int(user["version"]),
                                             password))
        if user["locked"] and st.button("Ontgrendelen", icon=":material/lock_open:"):
            done(accounts.unlock(engine, actor, role, user_id, int(user["version"])))
with new_tab:
    with st.form("users-new", enter_to_submit=False):
        username = st.text_input("Gebruikersnaam", max_chars=80, key="users-new-name")
        new_role = st.selectbox("Rol", options=list(roles), format_func=roles.get,
                                key="users-new-role")
        password = st.text_input("Tijdelijk wachtwoord", type="password", max_chars=200,
                                 key="users-new-password")
        if st.form_submit_button("Account aanmaken", type="primary", icon=":material/person_add:"):
            done(accounts.create_user(engine, actor, role, username, new_role, password))
