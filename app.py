"""ASGI entry point: ``streamlit run app.py`` (Makefile, Dockerfile, tests).

The Streamlit script stays ``streamlit_app.py``; this module adds what a script cannot:
the routes that set and clear the sign-in cookie and the HTTP security headers
(``dashboard.ui.web``).
"""

import functools
from pathlib import Path
from typing import Any

import streamlit as st
from sqlalchemy import Engine
from starlette.middleware import Middleware
from streamlit.runtime.pages_manager import PagesManager

from dashboard.ui import web
from data_loaders.db import database_url, make_engine


@functools.cache
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def _secrets() -> dict[str, Any] | None:
    try:
        return dict(st.secrets) if st.secrets.load_if_toml_exists() else None
    except Exception:  # noqa: BLE001 - as dashboard.ui: a malformed file is no secrets
        return None


def engine() -> Engine:
    return _engine_for(database_url(_secrets()))


# Streamlit's legacy multipage mode would run a file in pages/ directly on a fresh server,
# before streamlit_app.py has declared the role-based navigation (ui.entry_guard catches
# that run, but the page the link asked for is lost). This server only ever navigates
# with st.navigation.
PagesManager.uses_pages_directory = False

INDEX_HTML = Path(st.__file__).parent / "static" / "index.html"
app = st.App(
    "streamlit_app.py",
    routes=web.routes(engine),
    middleware=[Middleware(web.SecurityHeaders, csp=web.content_security_policy(INDEX_HTML)),
                Middleware(web.UploadGuard, engine=engine)],
)
