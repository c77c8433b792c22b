"""Entry script: page config, the account box, and navigation built from the current role."""

import streamlit as st

from dashboard.ui import labels
from dashboard import ui
from dashboard.domain.roles import DEFAULT_PAGE, home_page_for, pages_for

st.set_page_config(page_title=labels.APP_TITLE, page_icon=":material/hub:", layout="wide")

role = ui.current_role()
sections: dict[str, list[st.Page]] = {}
for spec in pages_for(role):
    sections.setdefault(spec.section, []).append(
        st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path,
                default=spec == DEFAULT_PAGE)
    )
# One section needs no header (Streamlit puts section headers inside the <ul>, which
# screen readers and axe reject), so a single-section navigation stays a plain list.
page = st.navigation(sections if len(sections) > 1 else next(iter(sections.values())),
                     expanded=True)  # every page visible, no "meer tonen"
ui.remember_requested_page()
ui.sidebar_account()
if ui.password_change_required():
    ui.password_change_form()
    st.stop()
ui.land_after_sign_in(home_page_for(role).path)
ui.run_page(page)
