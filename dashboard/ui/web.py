"""The HTTP side of the app, mounted by the ASGI entry ``app.py``: the routes that set
and clear the sign-in cookie, and the security headers. Starlette only, no Streamlit.

- ``/sessie/start?code=…&naar=…`` swaps a one-time hand-off code (``sessions.start``)
  for the session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS) and redirects
  to ``naar``, a path on this site only. The Streamlit page sends the browser here right
  after a successful sign-in. A cross-site request (Sec-Fetch-Site) never gets a cookie,
  so nobody can sign a victim in to the attacker's account with a link.
- ``/sessie/einde`` clears the cookie of a session that has ended (Uitloggen ends it
  first), then opens the public start page, or Streamlit's own sign-out for single
  sign-on. A still valid session keeps its cookie: a link cannot sign anyone out.
- ``SecurityHeaders``: frame, content-type, referrer and content-security policies on
  every response, and 404 for ``/_stcore/metrics`` (Streamlit's public metrics).
"""

from __future__ import annotations

import base64
import hashlib
import posixpath
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route

from dashboard.domain.roles import Permission, can
from dashboard.store import sessions

START_PATH, END_PATH = "/sessie/start", "/sessie/einde"
STREAMLIT_SIGN_OUT = "/auth/logout"  # st.logout's route: clears the single sign-on cookie
FAILED_PARAM = "inloggen"  # added to the landing URL when no cookie was set: ?inloggen=mislukt
HIDDEN_PATHS = ("/_stcore/metrics",)
UPLOAD_PATH = "/_stcore/upload_file/"  # + {streamlit session id}/{file id}
MAX_UPLOADS = 20  # files one browser session may send per UPLOAD_WINDOW
UPLOAD_WINDOW = 600.0  # seconds
# The session's cookie lives as long as the session may; an ended session's cookie is
# still presented afterwards, so that the tab can say why it was signed out.
COOKIE_MAX_AGE = int((sessions.MAX_LIFETIME + sessions.IDLE_TIMEOUT).total_seconds())
BASEMAP = "https://*.cartocdn.com"  # pydeck's "carto" map style: style, tiles and glyphs
ICONS = "https://fonts.gstatic.com"  # Streamlit draws a :material/…: page icon from here


def start_url(code: str, next_path: str) -> str:
    return f"{START_PATH}?{urlencode({'code': code, 'naar': next_path})}"


def safe_next(value: str | None) -> str:
    """``value`` if it is a path on this site (with its query), else the start page."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if re.search(r"[\x00-\x20\\]", value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value


def _cookie_flags(request: Request) -> dict[str, Any]:
    return {"path": "/", "httponly": True, "samesite": "strict",
            "secure": request.url.scheme == "https"}


def routes(engine: Callable[[], Engine]) -> list[Route]:
    """The cookie routes, reading sessions through ``engine()``."""

    def start(request: Request) -> RedirectResponse:
        target = safe_next(request.query_params.get("naar"))
        same_site = request.headers.get("sec-fetch-site", "same-origin") == "same-origin"
        token = sessions.redeem(engine(), request.query_params.get("code", "")) \
            if same_site else None
        if token is None:  # expired, used or cross-site: the page says so, no cookie
            target += ("&" if "?" in target else "?") + urlencode({FAILED_PARAM: "mislukt"})
        response = RedirectResponse(target, status_code=303)
        response.headers["Cache-Control"] = "no-store"
        if token is not None:
            response.set_cookie(sessions.COOKIE, token, max_age=COOKIE_MAX_AGE,
                                **_cookie_flags(request))
            # Streamlit keeps the sidebar's open/closed state in localStorage: opened to
            # sign in on a phone, it would stay over the page after signing in. A signed-in
            # view starts from the default (closed on a phone, open on a desktop).
            response.headers["Clear-Site-Data"] = '"storage"'
        return response

    def end(request: Request) -> RedirectResponse:
        token = request.cookies.get(sessions.COOKIE)
        outcome = sessions.check(engine(), token) if token else None
        target = "/"
        if isinstance(outcome, sessions.Ended) and outcome.kind == sessions.OIDC:
            target = STREAMLIT_SIGN_OUT
        response = RedirectResponse(target, status_code=303)
        response.headers["Cache-Control"] = "no-store"
        if token and not isinstance(outcome, sessions.Identity):
            response.delete_cookie(sessions.COOKIE, **_cookie_flags(request))
        return response

    return [Route(START_PATH, start, methods=["GET"]), Route(END_PATH, end, methods=["GET"])]


def inline_script_hashes(index_html: str) -> list[str]:
    """CSP hashes of the inline scripts in Streamlit's index.html (it has one)."""
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", index_html, re.DOTALL)
    return ["'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in scripts]


def content_security_policy(index_html: Path) -> str:
    """What the Streamlit frontend needs, and nothing from elsewhere but the basemap and
    the page icon: its components style themselves inline (emotion), and it compiles
    WebAssembly ('wasm-unsafe-eval'; without it the Vega charts stay empty). No
    'unsafe-eval' and no inline scripts but the hashed one of index.html. Checked in
    Chromium on charts and the map (tests/test_e2e_sessions.py)."""
    inline = inline_script_hashes(index_html.read_text())
    script = " ".join(["'self'", "'wasm-unsafe-eval'", *inline])
    return "; ".join([
        "default-src 'self'",
        f"script-src {script}",
        "style-src 'self' 'unsafe-inline'",
        f"img-src 'self' data: blob: {BASEMAP} {ICONS}",
        "font-src 'self' data:",
        f"connect-src 'self' {BASEMAP}",
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class SecurityHeaders:
    """ASGI middleware: security headers on every HTTP response; hidden paths are 404."""

    def __init__(self, app: Any, csp: str) -> None:
        self.app = app
        self.headers = [(b"x-frame-options", b"DENY"), (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"same-origin"),
                        (b"content-security-policy", csp.encode())]

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                known = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in self.headers if h[0] not in known)]
            await send(message)

        if posixpath.normpath("/" + scope["path"]).endswith(HIDDEN_PATHS):
            await PlainTextResponse("Niet gevonden", status_code=404)(
                scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


class UploadGuard:
    """ASGI middleware for Streamlit's upload URL, which accepts a file for any open
    session, signed in or not. Only a signed-in role that may import data (this
    connection's cookie, checked in the database) may send files, and one browser session
    at most ``MAX_UPLOADS`` per ``UPLOAD_WINDOW``: the import page reads each file and drops
    Streamlit's copy at once, so nothing legitimate needs more. Refusals are Dutch."""

    def __init__(self, app: Any, engine: Callable[[], Engine],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.engine = engine
        self.clock = clock
        self.recent: dict[str, list[float]] = {}

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = posixpath.normpath("/" + scope.get("path", ""))
        if (scope["type"] != "http" or UPLOAD_PATH not in path + "/"
                or scope.get("method") not in ("PUT", "POST")):
            await self.app(scope, receive, send)
            return
        token = Request(scope).cookies.get(sessions.COOKIE)
        identity = await run_in_threadpool(sessions.check, self.engine(), token) \
            if token else None
        if not isinstance(identity, sessions.Identity) or not can(identity.role,
                                                                   Permission.EDIT_DATA):
            await PlainTextResponse("Bestanden inlezen mag alleen het programmateam. Log in.",
                                    status_code=403)(scope, receive, send)
            return
        browser_session = path.split(UPLOAD_PATH, 1)[1].split("/", 1)[0]
        now = self.clock()
        recent = [t for t in self.recent.get(browser_session, []) if now - t < UPLOAD_WINDOW]
        if len(recent) >= MAX_UPLOADS:
            await PlainTextResponse("Te veel bestanden in korte tijd. Probeer het over een paar "
                                    "minuten opnieuw.", status_code=429)(scope, receive, send)
            return
        self.recent[browser_session] = [*recent, now]
        for key in [k for k, v in self.recent.items() if now - v[-1] >= UPLOAD_WINDOW]:
            del self.recent[key]  # forget browser sessions that stopped uploading
        await self.app(scope, receive, send)
