"""A stand-in browser for Streamlit's AppTest (tests and bench/pages.py).

AppTest has no browser: no cookies and no page loads, so the sign-in cookie
(dashboard.store.sessions) could never arrive. ``install`` gives each AppTest session a cookie
jar, kept in its session state under ``JAR``:

- ``st.context.cookies`` reads the jar, the way a real connection's cookies are read;
- ``ui.navigate`` (a full page load in a real browser) requests the URL from the real
  cookie routes (``dashboard.ui.web``) over ASGI, applies their Set-Cookie to the jar and
  follows the redirect: a new page load, so a fresh session state that keeps only the
  jar, on the target page with its URL parameters.

``sign_in_as`` puts a real session's cookie in the jar directly. Only tests import this
module; the app never does, and a browser cannot reach the jar.
"""

from __future__ import annotations

from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.helpers import run_async

JAR = "_apptest_cookie_jar"


def _client_context() -> Any:
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx() is None:
        return None
    from types import SimpleNamespace

    return SimpleNamespace(cookies=dict(st.session_state.get(JAR, {})), headers=[],
                           remote_ip=None)


def _request(app: Any, url: str, cookies: dict[str, str]) -> list[tuple[str, str]]:
    """GET ``url`` from the ASGI ``app`` as a same-origin navigation; response headers."""
    parts = urlsplit(url)
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": parts.path, "raw_path": parts.path.encode(),
             "query_string": parts.query.encode(), "root_path": "",
             "server": ("127.0.0.1", 8501), "client": ("127.0.0.1", 50000),
             "headers": [(b"host", b"127.0.0.1:8501"), (b"sec-fetch-site", b"same-origin"),
                         *([(b"cookie", cookie.encode())] if cookie else [])]}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    run_async(app(scope, receive, send))  # the script thread has a loop
    start = next(m for m in sent if m["type"] == "http.response.start")
    return [(k.decode().lower(), v.decode()) for k, v in start["headers"]]


def _apply_cookies(jar: dict[str, str], headers: list[tuple[str, str]]) -> None:
    for name, value in headers:
        if name != "set-cookie":
            continue
        for morsel in SimpleCookie(value).values():
            if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                jar.pop(morsel.key, None)
            else:
                jar[morsel.key] = morsel.value


def _navigate(url: str) -> None:
    import streamlit as st
    from starlette.applications import Starlette
    from streamlit.runtime.scriptrunner import RerunData, get_script_run_ctx
    from streamlit.util import calc_hash

    from dashboard import ui
    from dashboard.domain.roles import DEFAULT_PAGE
    from dashboard.ui import web

    engine = ui.engine()
    jar = dict(st.session_state.get(JAR, {}))
    headers = _request(Starlette(routes=web.routes(lambda: engine)), url, jar)
    _apply_cookies(jar, headers)
    location = dict(headers)["location"]
    path, _, query = location.partition("?")
    ctx = get_script_run_ctx()
    st.session_state.clear()  # a page load starts a new Streamlit session
    st.session_state[JAR] = jar
    with ctx.session_state.query_params() as qp:
        qp.from_dict(parse_qs(query))
    ctx.script_requests.request_rerun(RerunData(
        query_string=query, page_script_hash=calc_hash(path.strip("/") or DEFAULT_PAGE.url_path),
        context_info=ctx.context_info))
    st.empty()  # a yield point: the runner acts on the rerun request here
    st.stop()


def install(patch: Callable[[Any, str, Any], None]) -> None:
    """Apply the stand-in with ``patch(target, name, value)`` (e.g. monkeypatch.setattr)."""
    from streamlit.runtime import context

    from dashboard import ui

    patch(context, "_get_client_context", _client_context)
    patch(ui, "navigate", _navigate)


def sign_in_as(at: Any, username: str, db_url: str) -> Any:
    """Put the cookie of a new server-side session of ``username`` in ``at``'s jar, as if
    the browser had signed in; the AppTest's next run is signed in."""
    from dashboard.store import sessions
    from data_loaders.db import make_engine

    engine = make_engine(db_url)
    try:
        token = sessions.redeem(engine, sessions.start(engine, username))
    finally:
        engine.dispose()
    at.session_state[JAR] = {sessions.COOKIE: token}
    return at
