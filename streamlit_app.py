"""Entry script: page config, who is signed in, the account box, and navigation built
from the current role. Served through the ASGI entry ``app.py`` (``streamlit run app.py``)."""

import streamlit as st

from dashboard import ui
from dashboard.domain.roles import DEFAULT_PAGE, PAGES, pages_for
from dashboard.ui import labels, warmup

st.set_page_config(page_title=labels.APP_TITLE, page_icon=":material/hub:", layout="wide")

warmup.start()  # once per process: rebuilds the most-opened views after a data change
ui.url_guard()  # a link larger than any view needs opens without its settings, with a notice
ui.authenticate()  # every run: this connection's cookie and the database, never the session alone
role = ui.current_role()
visible = pages_for(role)
sections: dict[str, list[st.Page]] = {}
for spec in visible:
    sections.setdefault(spec.section, []).append(
        st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path,
                default=spec == DEFAULT_PAGE)
    )
# The other pages' URLs answer too, hidden, with a Dutch sign-in prompt (or "no access"),
# never with the page itself.
sections[visible[0].section] += [ui.locked_page(spec) for spec in PAGES if spec not in visible]
# One section needs no header (Streamlit puts section headers inside the <ul>, which
# screen readers and axe reject), so a single-section navigation stays a plain list.
page = st.navigation(sections if len(sections) > 1 else next(iter(sections.values())),
                     expanded=True)  # every page visible, no "meer tonen"
ui.remember_requested_page()
ui.sidebar_account()
if ui.password_change_required():
    ui.password_change_form()
    st.stop()
ui.run_page(page)
