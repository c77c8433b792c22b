"""Streamlit UI helpers: the cached engine and loaders, the signed-in role, the sidebar
account box, the demo-data marker and chart/table conventions. Pages call these."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NoReturn
from urllib.parse import urlencode

import altair as alt
import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitDuplicateElementKey

from dashboard.domain import sso, verdicts
from dashboard.domain.roles import (
    PAGES,
    ROLE_LABELS,
    AccessDenied,
    PageSpec,
    Role,
    home_page_for,
    pages_for,
    requested_internal_page,
)
from dashboard.store import accounts, auth, queries, sessions
from dashboard.ui import charts, exports, labels, web
from data_loaders import versions
from data_loaders.db import database_url, make_engine

# Altair validates every schema object when it is built *and* the whole spec again in
# ``to_dict`` (which st.altair_chart calls). The first pass only improves tracebacks; it
# cost ~40% of Wijkprofiel's render time (bench/RESULTS.md). Specs are still validated.
alt.utils.schemapi.disable_debug_mode()
# Specs go to the browser through ``chart_spec``/``vega`` as dicts; Streamlit moves their
# datasets to Arrow, so altair's 5,000-row guard for inline JSON does not apply.
alt.data_transformers.disable_max_rows()

# Freshness comes from the data versions in every key; the TTL only bounds memory.
CACHE_TTL = dt.timedelta(hours=1)


# ---------------------------------------------------------------- markdown escaping
#
# Streamlit renders GitHub-flavoured markdown in st.markdown/caption/write, headings,
# alerts, expander and tab labels, widget labels, help texts, metric labels and st.table
# cells, and adds its own syntax on top: KaTeX ($...$), directives (:red[...],
# :blue-background[...], :help[...]), :material/icon: and :streamlit: (replaced in the raw
# source), emoji shortcodes (:smile:), typographic arrows (->, --), and GFM's bare-URL
# autolinks (http://, https://, www., e-mail addresses), which remark finds in the *parsed*
# text, so a backslash does not stop them. ``escape_md`` therefore backslash-escapes what
# CommonMark honours and breaks the rest with an invisible zero-width non-joiner.

ZWNJ = "\u200c"  # invisible; splits a pattern without changing what a reader sees
_MD_ALWAYS = re.compile(r"([\\`*_\[\]|~$])")  # emphasis, code, links, images, tables, maths
_MD_HTML = re.compile(r"([<&])(?=[A-Za-z/!?#])")  # a tag, comment, autolink or entity
# at a line start: heading, quote; list bullet, setext underline or rule ("- ", "===", "---")
_MD_BLOCK = re.compile(r"^([#>]|([-+=])(?=\2|[ \t]|$))", re.MULTILINE)
_MD_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)", re.MULTILINE)  # "1. " or "1) " item
_MD_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)  # an indented code block
_MD_TYPOGRAPHY = re.compile(r"(?<!\S)(<->|->|<-|--|>=|<=|~=)(?!\S)")  # arrows, dashes
# after ":" (shortcodes, directives, icons, URL schemes), "@" (e-mail) and "www" (before ".")
_MD_AUTO = re.compile(r"(?<=:)(?=\S)|(?<=@)(?=\S)|(?<=www)(?=\.)", re.IGNORECASE)


def escape_md(text: Any) -> str:
    """The one escaper for text a person typed (or any database string) that reaches
    markdown: it reads the same, but is never a link, image, autolink, heading, list,
    quote, table, code, HTML, entity, KaTeX, colour/badge/icon directive or emoji."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    out = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    out = _MD_INDENT.sub("", out)
    out = _MD_TYPOGRAPHY.sub(lambda m: m[0][0] + ZWNJ + m[0][1:], out)
    out = _MD_ALWAYS.sub(r"\\\1", out)
    out = _MD_HTML.sub(r"\\\1", out)
    out = _MD_BLOCK.sub(lambda m: "\\" + m[1], out)
    out = _MD_ORDERED.sub(r"\1\\\2", out)
    return _MD_AUTO.sub(ZWNJ, out)


# The product's own text-first icons (``verdicts.Icon.markdown``, constants): a table cell
# that is exactly one of them shows the icon with its text; any other text is escaped.
ICON_CELLS = frozenset(icon.markdown for icons in (verdicts.VERDICT_ICONS, verdicts.VARIATION,
                                                   verdicts.ASSURANCE) for icon in icons.values())


def md_table(frame: pd.DataFrame, *, height: int | str = "content") -> None:
    """``st.table`` (which renders markdown in every cell, header and index) with every
    text escaped except the product's own icons (``ICON_CELLS``); an int ``height``
    scrolls a long table under a sticky header."""
    out = frame.map(lambda v: v if isinstance(v, str) and v in ICON_CELLS
                    else escape_md(v) if isinstance(v, str) else v)
    out.index = out.index.map(lambda v: escape_md(v) if isinstance(v, str) else v)
    out.index.name = escape_md(frame.index.name) if frame.index.name else None
    out.columns = [escape_md(c) for c in frame.columns]
    st.table(out, height=height)  # type: ignore[arg-type]


def _secrets() -> dict[str, Any] | None:
    try:
        return dict(st.secrets) if st.secrets.load_if_toml_exists() else None
    except Exception:  # noqa: BLE001 - a malformed secrets file must not break the public page
        return None


@st.cache_resource(show_spinner=False)
def engine_for(url: str):  # type: ignore[no-untyped-def]
    return make_engine(url)


def engine():  # type: ignore[no-untyped-def]
    return engine_for(database_url(_secrets()))


# ---------------------------------------------------------------- cached reads
#
# Every cached read carries in its key the versions of the datasets it depends on
# (``data_loaders.versions``): a save on any replica raises them in the database, and
# every replica's next run (which reads them once, at most ``versions.MAX_AGE`` old)
# computes new keys for what changed and keeps hitting the cache for everything else.
# Nothing is emptied after a write. The TTL and ``max_entries`` only bound memory.

_VERSIONS = "_data_versions"  # session state: (run marker, generation, when, the versions)


def _run_marker() -> object | None:
    """An object that lives exactly as long as this script run (Streamlit gives every
    run, fragments included, a fresh cursor map); None outside a script run."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return getattr(ctx, "cursors", None) if ctx is not None else None


def data_versions() -> versions.Versions:
    """The data versions for this script run: read once per run (from a process-wide
    copy at most ``versions.MAX_AGE`` seconds old) and then the same for every cached
    read of the run; read again after a write of this process, so the rest of the run
    that saved shows the saved figures."""
    marker, generation = _run_marker(), versions.generation()
    held = st.session_state.get(_VERSIONS) if marker is not None else None
    if (held is not None and held[0] is marker and held[1] == generation
            and 0 <= time.monotonic() - held[2] < versions.MAX_AGE):
        return held[3]
    current = versions.snapshot(engine())
    if marker is not None:
        st.session_state[_VERSIONS] = (marker, generation, time.monotonic(), current)
    return current


def _versions_key(current: versions.Versions, names: Iterable[str] | None
                  ) -> tuple[tuple[str, Any], ...]:
    return versions.key(current, names)


@st.cache_data(ttl=CACHE_TTL, max_entries=256, show_spinner="Gegevens laden…")
def _load(query: str, role: str, url: str, params: tuple[tuple[str, Any], ...],
          data: tuple[tuple[str, Any], ...], _first: tuple[Any] | None = None) -> Any:
    # The role is part of the cache key, so public and internal results never share an
    # entry; ``data`` holds the versions of the datasets the query reads.
    if _first is not None:  # computed just now, while learning what the query reads
        return _first[0]
    with versions.tracking(query):
        return queries.QUERIES[query](engine_for(url), Role(role), **dict(params))


def _load_as(query: str, role: str, url: str, params: tuple[tuple[str, Any], ...],
             current: versions.Versions) -> Any:
    depends = versions.depends(query)
    if depends is None:  # the first run in this process: learn which datasets it reads
        with versions.tracking(query):
            result = queries.QUERIES[query](engine_for(url), Role(role), **dict(params))
        data = _versions_key(current, versions.depends(query))
        return _load(query, role, url, params, data, _first=(_tagged(result, query, data),))
    data = _versions_key(current, depends)
    return _tagged(_load(query, role, url, params, data), query, data)


_DATA_TAG = "data_versions"  # DataFrame.attrs: the read and versions a loaded frame came from


def _tagged(result: Any, query: str, data: tuple[tuple[str, Any], ...]) -> Any:
    """A loaded frame carries its versions (``attrs``, kept by most pandas operations),
    so ``computed`` keys on them as well as on the frame's content (which Streamlit
    hashes from a sample once a frame has 100,000 rows)."""
    if isinstance(result, pd.DataFrame):
        result.attrs[_DATA_TAG] = (query, data)
    return result


def load(query: str, **params: Any) -> Any:
    """Run a registered query for the current role, cached per (query, role, database,
    params, versions of the datasets it reads)."""
    args = (query, current_role().value, database_url(_secrets()),
            tuple(sorted(params.items())), data_versions())
    if versions.depends(query) is None:  # computed outside the cache: its spinner here
        with st.spinner("Gegevens laden…"):
            return _load_as(*args)
    return _load_as(*args)


_VIEW_QUERIES: dict[str, frozenset[str]] = {}  # view -> the queries it was seen loading
_FIRST_BUILDS: dict[str, threading.Lock] = {}  # view -> held while its first build learns them
_FIRST_BUILDS_LOCK = threading.Lock()


def _view_depends(name: str) -> set[str] | None:
    """The datasets a view's queries read; None until its first build in this process has
    learned them (and while it does: what it has seen so far is not all)."""
    first = _FIRST_BUILDS.get(name)
    if first is not None and first.locked():
        return None
    return _learned_depends(name)


def _learned_depends(name: str) -> set[str] | None:
    used = _VIEW_QUERIES.get(name)
    if used is None:
        return None
    out: set[str] = set()
    for query in used:
        depends = versions.depends(query)
        if depends is None:
            return None
        out |= depends
    return out


def _view_loader(name: str, role: str, url: str, current: versions.Versions
                 ) -> Callable[..., Any]:
    def load(query: str, **query_params: Any) -> Any:
        _VIEW_QUERIES[name] = _VIEW_QUERIES.get(name, frozenset()) | {query}
        return _load_as(query, role, url, tuple(sorted(query_params.items())), current)
    return load


def view(fn: Callable[..., Any], **params: Any) -> Any:
    """``fn(load, **params)``: a page view built from registered queries (Kaart's map),
    cached as a whole per (view, role, database, params, versions of the datasets its
    queries read). A rerun with the same selection then unpickles the finished view
    instead of rebuilding it from thousands of rows."""
    return _view_as(fn, current_role().value, database_url(_secrets()), data_versions(), params,
                    spinner=True)


def _view_as(fn: Callable[..., Any], role: str, url: str, current: versions.Versions,
             params: dict[str, Any], *, spinner: bool = False) -> Any:
    """``view`` for a given role and versions (also used by ``ui.warmup``, outside a run)."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    items = tuple(sorted(params.items()))
    depends = _view_depends(name)
    if depends is None:  # first build in this process: one session learns what it loads
        with _FIRST_BUILDS_LOCK:
            first = _FIRST_BUILDS.setdefault(name, threading.Lock())
        with st.spinner("Gegevens laden…") if spinner else contextlib.nullcontext():
            _wait_for(first)  # the others wait for it, then read its result from the cache
            try:
                depends = _learned_depends(name)
                if depends is None:
                    return _first_build(fn, name, role, url, current, params)
            finally:
                first.release()
    return _view(fn, name, role, url, items, _versions_key(current, depends))


def _first_build(fn: Callable[..., Any], name: str, role: str, url: str,
                 current: versions.Versions, params: dict[str, Any]) -> Any:
    """Build a view outside the cache, noting the queries it loads, then cache the result
    under the key those queries' datasets make."""
    _VIEW_QUERIES.setdefault(name, frozenset())
    try:
        with cold_build():
            result = fn(_view_loader(name, role, url, current), **params)
    except BaseException:
        _VIEW_QUERIES.pop(name, None)  # what it saw before failing is not all: learn again
        raise
    return _view(fn, name, role, url, tuple(sorted(params.items())),
                 _versions_key(current, _learned_depends(name)), _first=(result,))


@st.cache_data(ttl=CACHE_TTL, max_entries=96, show_spinner="Gegevens laden…")
def _view(_fn: Callable[..., Any], name: str, role: str, url: str,
          params: tuple[tuple[str, Any], ...], data: tuple[tuple[str, Any], ...],
          _first: tuple[Any] | None = None) -> Any:
    # The role is part of the key, as in _load: public and internal views never mix.
    if _first is not None:
        return _first[0]
    # ``data`` holds the versions of every dataset the view's queries read: load with those
    with cold_build():
        return _fn(_view_loader(name, role, url, dict(data)), **dict(params))


# A burst of distinct expensive links (every area's profile, every indicator's map: each a
# view nobody has built yet) must queue rather than build everything at once: every build
# holds its frames in memory and, in one process, shares one core (the GIL) with every other
# session. Identical links do not queue twice: Streamlit computes a cache key once and the
# other sessions wait for that result. Cheap pages (cache hits, the public page, the health
# check) never wait here. tests/ui/test_cold_builds.py, tests/e2e/test_server_load.py.
MAX_COLD_BUILDS = 2
_cold_builds = threading.BoundedSemaphore(MAX_COLD_BUILDS)
_building = threading.local()


def _run_check() -> Callable[[], None]:
    """Raises Streamlit's stop or rerun exception once this script run should end (the
    tab closed, or the user chose something else); a no-op outside a script run."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return getattr(ctx, "yield_check", None) or (lambda: None)


def _wait_for(lock: threading.Lock | threading.BoundedSemaphore) -> None:
    """Acquire ``lock``; a script run that ends meanwhile stops waiting."""
    check = _run_check()
    while not lock.acquire(timeout=0.1):
        check()


@contextlib.contextmanager
def cold_build() -> Iterator[None]:
    """Hold one of ``MAX_COLD_BUILDS`` places while a view is built from its queries. A
    script run that is stopped or rerun while it waits leaves the queue; a view built
    inside another view's build takes no second place."""
    if getattr(_building, "held", False):
        yield
        return
    _wait_for(_cold_builds)
    _building.held = True
    try:
        yield
    finally:
        _building.held = False
        _cold_builds.release()


def computed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` for a pure function of loaded frames (SPC verdicts over all
    teams, say), cached like ``load``: it would otherwise rerun on every widget change.
    Its key holds its arguments' content and the data versions of the loaded frames."""
    return _computed(fn, f"{fn.__module__}.{fn.__qualname__}", args, tuple(sorted(kwargs.items())),
                     _frame_versions(args, kwargs))


def _frame_versions(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(a.attrs.get(_DATA_TAG) for a in (*args, *kwargs.values())
                 if isinstance(a, pd.DataFrame))


@st.cache_data(ttl=CACHE_TTL, max_entries=256, show_spinner=False)
def _computed(_fn: Callable[..., Any], name: str, args: tuple[Any, ...],
              kwargs: tuple[tuple[str, Any], ...], data: tuple[Any, ...] = ()) -> Any:
    # ``data``: the data versions of the loaded frames among the arguments
    return _fn(*args, **dict(kwargs))


def _demo() -> bool:
    current = data_versions()
    return _is_demo(database_url(_secrets()), _versions_key(current, ["setting"]))


@st.cache_data(ttl=CACHE_TTL, max_entries=4, show_spinner=False)
def _is_demo(url: str, data: tuple[tuple[str, Any], ...]) -> bool:
    return queries.is_demo(engine_for(url))


# ---------------------------------------------------------------- session and role
#
# Who is signed in comes from the sign-in cookie of this run's own connection and from
# the database (dashboard.store.sessions), never from session state alone: ``authenticate``
# runs first in every script run. Session state caches its answer for RECHECK_SECONDS.

RECHECK_SECONDS = 3.0
_AUTH = "auth"  # the checked identity: digest of the cookie token, user, role, when
_NOTICE = "auth_notice"  # why this tab was signed out, shown once
_REFUSED = "auth_refused"  # a write was refused: the account was checked again
_FAILED = web.FAILED_PARAM  # /sessie/start could not set the cookie: ?inloggen=mislukt
SIGN_IN_PROMPT = "Log in om deze pagina te openen"


def _cookie_token() -> str | None:
    return st.context.cookies.get(sessions.COOKIE) or None


def _client() -> str:
    """The client's IP address, for the sign-in throttle (behind nginx: the forwarded
    address, see deploy/DEPLOYMENT.md); "lokaal" on this machine."""
    return st.context.ip_address or "lokaal"


def navigate(url: str) -> NoReturn:
    """Send this browser to ``url`` (a path on this site) with a full page load, through
    the message st.login uses to reach its routes; ends the script run."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is not None:
        msg = ForwardMsg()
        msg.auth_redirect.url = url
        ctx.enqueue(msg)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def authenticate() -> None:
    """First call of every script run: read who is signed in from this connection's
    cookie and the database (active, role, credential version, idle time, lifetime).
    A Streamlit session signed in through another connection's cookie is wiped: its id
    was presented by a browser that lacks the cookie. A session that ended (elsewhere,
    by a rule or by the beheerder) signs this tab out with a Dutch notice."""
    token = _cookie_token()
    digest = sessions.digest(token) if token else None
    held = st.session_state.get(_AUTH)
    if held is not None and (digest is None or held["digest"] != digest):
        sessions.record_other_browser(engine(), held["username"], Role(held["role"]))
        st.session_state.clear()
        st.session_state[_NOTICE] = sessions.MESSAGES[sessions.OTHER_BROWSER]
        st.rerun()
    if held is not None and 0 <= time.monotonic() - held["checked"] < RECHECK_SECONDS:
        return
    outcome = sessions.check(engine(), token)
    if isinstance(outcome, sessions.Identity) and outcome.kind == sessions.OIDC:
        outcome = _sso_still_valid(outcome, token)
    if isinstance(outcome, sessions.Identity):
        st.session_state[_AUTH] = {
            "digest": digest, "checked": time.monotonic(), "session_id": outcome.session_id,
            "username": outcome.username, "role": outcome.role.value, "kind": outcome.kind,
            "must_change": outcome.must_change_password or (
                outcome.demo_account and not _demo())}
        return
    st.session_state.pop(_AUTH, None)
    if isinstance(outcome, sessions.Ended):
        if held is not None or outcome.just_now:
            st.session_state[_NOTICE] = outcome.message
        if outcome.kind == sessions.OIDC and _sso_identity() is not None:
            navigate(web.END_PATH)  # clears the cookie, then Streamlit's own sign-out


def _recheck_now() -> None:
    held = st.session_state.get(_AUTH)
    if held is not None:
        held["checked"] = 0.0


def current_role() -> Role:
    held = st.session_state.get(_AUTH)
    return Role(held["role"]) if held else Role.PUBLIEK


def current_username() -> str | None:
    held = st.session_state.get(_AUTH)
    return held["username"] if held else None


def sso_configured() -> bool:
    """Single sign-on is offered when the secrets hold an ``[auth]`` section (st.login)."""
    secrets = _secrets()
    return bool(secrets and "auth" in secrets)


def _sso_identity() -> tuple[str, Role | None] | None:
    """The single sign-on identity of this browser (st.user) and the role its claims map
    to now; None when nobody is signed in with the organisation account."""
    if not sso_configured() or not st.user.get("is_logged_in"):
        return None
    claims = dict(st.user.to_dict())
    return sso.display_name(claims), sso.map_role(
        claims, dict((_secrets() or {}).get("role_mapping", {})))


def _sso_still_valid(identity: sessions.Identity, token: str | None
                     ) -> sessions.Identity | sessions.Ended:
    """A single sign-on session holds while st.user is the same identity and its claims
    still map to a role; a changed role applies now."""
    try:
        current = _sso_identity()
    except sso.MappingError:
        current = None
    if current is None or current[0] != identity.username or current[1] is None:
        reason = sessions.NO_ROLE if current and current[0] == identity.username \
            else sessions.LOGGED_OUT
        sessions.end(engine(), token, reason)
        return sessions.Ended(reason, identity.username, sessions.OIDC, True)
    if current[1] is not identity.role:
        sessions.set_role(engine(), identity.session_id, current[1])
        return dataclasses.replace(identity, role=current[1])
    return identity


def _landing_url(role: Role) -> str:
    """Where signing in leads: the internal page a shared link asked for (with its view)
    if ``role`` may open it, else the role's home page (Overzicht)."""
    path, params = st.session_state.get(_REQUESTED, (None, {}))
    allowed = {p.path: p for p in pages_for(role)}
    spec = allowed.get(path)
    if spec is None:
        spec, params = home_page_for(role), {}
    query = urlencode(params, doseq=True)
    return f"/{spec.url_path}" + (f"?{query}" if query else "")


def _start_session(username: str, role: Role, kind: str = sessions.LOCAL) -> NoReturn:
    """After a successful sign-in: a new server-side session whose cookie the browser
    collects at /sessie/start, which then opens the landing page."""
    code = sessions.start(engine(), username, kind=kind, role=role, client=_client())
    navigate(web.start_url(code, _landing_url(role)))


def _sso_sign_in() -> bool:
    """Offer st.login; once the provider has signed the user in, map the role and start
    a session. True when the SSO box was shown (the local form then sits in an expander
    as a fallback)."""
    if not sso_configured():
        return False
    try:
        identity = _sso_identity()
    except sso.MappingError as error:
        st.error(escape_md(error))
        return True
    if identity is not None:
        name, role = identity
        if role is not None and st.query_params.get(_FAILED) is None:
            auth.record_sso_sign_in(engine(), name, role)
            _start_session(name, role, sessions.OIDC)
        if role is None and st.session_state.get("sso_refused") != name:
            st.session_state["sso_refused"] = name  # audit the refusal once per session
            auth.record_sso_sign_in(engine(), name, None)
        if role is None:
            st.warning(f"{escape_md(name)} is aangemeld, maar heeft geen rol in dit dashboard. "
                       "Vraag de beheerder om toegang.")
        if st.button(labels.SIGN_OUT, key="sso_sign_out", icon=":material/logout:"):
            st.logout()
        return True
    if st.button(labels.SIGN_IN_SSO, key="sso_sign_in", icon=":material/badge:", type="primary"):
        st.login()
    return True


def sidebar_account() -> None:
    """Sign-in form (Gebruikersnaam, Wachtwoord, Inloggen) or the signed-in user and Uitloggen.

    With single sign-on configured, the organisation sign-in comes first and the local
    form (for accounts the beheerder made) sits in an expander below it.
    """
    with st.sidebar:
        if notice := st.session_state.pop(_NOTICE, None):
            st.warning(escape_md(notice), icon=":material/logout:")
        if st.query_params.get(_FAILED) is not None:
            st.error("Inloggen is niet gelukt: de inlogcode was verlopen of je browser "
                     "bewaarde het sessiecookie niet. Probeer het opnieuw.")
        held = st.session_state.get(_AUTH)
        remembered = st.session_state.get(_REQUESTED)
        if remembered and not held:
            title = next(p.title for p in PAGES if p.path == remembered[0])
            st.info(f"Log in om de pagina {escape_md(title)} te openen.", icon=":material/lock:")
        if held:
            st.markdown(f"**{escape_md(held['username'])}** · {ROLE_LABELS[Role(held['role'])]}")
            if st.button(labels.SIGN_OUT, key="sign_out", icon=":material/logout:"):
                sessions.end(engine(), _cookie_token())
                st.session_state.clear()
                navigate(web.END_PATH)  # clears the cookie in this browser
            return
        if _sso_sign_in():
            with st.expander("Lokaal account"):
                _local_sign_in()
        else:
            _local_sign_in()


def _local_sign_in() -> None:
    """The local account form (argon2, throttled): Gebruikersnaam, Wachtwoord, Inloggen."""
    with st.form("sign_in", clear_on_submit=False, border=True):
        st.markdown("**Inloggen voor partners**")
        username = st.text_input(labels.USERNAME, key="sign_in_username", max_chars=80)
        password = st.text_input(labels.PASSWORD, type="password", key="sign_in_password",
                                 max_chars=200)
        submitted = st.form_submit_button(labels.SIGN_IN, icon=":material/login:")
    if submitted:
        if not username or not password:
            st.error("Vul je gebruikersnaam en wachtwoord in.")
            return
        outcome = auth.sign_in(engine(), username, password, client=_client())
        if isinstance(outcome, auth.SignInFailed):
            st.error(escape_md(outcome.message))
            return
        _start_session(outcome.username, outcome.role)


def password_change_required() -> bool:
    held = st.session_state.get(_AUTH)
    return bool(held and held["must_change"])


def password_change_form() -> None:
    """Shown instead of any page until a reset or demo password has been replaced."""
    held = st.session_state[_AUTH]
    st.title("Wachtwoord wijzigen")
    st.info("Kies eerst een eigen wachtwoord: je wachtwoord is gereset, of dit is een "
            f"demo-account buiten de demo. {accounts.PASSWORD_RULES}", icon=":material/lock:")
    with st.form("own_password", enter_to_submit=False):
        current = st.text_input("Huidig wachtwoord", type="password", max_chars=200)
        new = st.text_input("Nieuw wachtwoord", type="password", max_chars=200)
        again = st.text_input("Herhaal nieuw wachtwoord", type="password", max_chars=200)
        submitted = st.form_submit_button("Wachtwoord wijzigen", type="primary")
    if submitted:
        if new != again:
            st.error("De twee nieuwe wachtwoorden zijn niet gelijk.")
            return
        result = accounts.change_own_password(engine(), held["username"], current, new,
                                              keep_session=held["session_id"])
        if not result.ok:
            st.error(escape_md(result.message))
            return
        _recheck_now()
        st.rerun()


ENTRY_SCRIPT = "streamlit_app.py"
_VIA_ENTRY = "_via_entry_script"


def run_page(page: Any) -> None:
    """Run the selected page from the entry script, marking the run as coming through it.

    A write the database refuses (the account was deactivated or lost its role a moment
    ago, within RECHECK_SECONDS) makes the tab check the account again at once, which
    signs it out or narrows its pages; a second refusal in a row is shown as is."""
    st.session_state[_VIA_ENTRY] = True
    try:
        page.run()
        st.session_state.pop(_REFUSED, None)
    except AccessDenied as denied:
        if st.session_state.pop(_REFUSED, False):
            st.error(escape_md(denied), icon=":material/block:")
            return
        st.session_state[_REFUSED] = True
        _recheck_now()
        st.rerun()
    finally:
        st.session_state.pop(_VIA_ENTRY, None)


def entry_guard() -> None:
    """First line of every page: on a freshly started server Streamlit may run a file in
    ``pages/`` directly (its legacy multipage mode) and skip the role-based navigation.
    Such a run is sent through the entry script instead, which switches Streamlit to
    ``st.navigation`` for good. The URL parameters (a shared link's view) go along."""
    if not st.session_state.get(_VIA_ENTRY):
        st.switch_page(ENTRY_SCRIPT,
                       query_params={k: st.query_params.get_all(k) for k in st.query_params})


def locked_page(spec: PageSpec) -> Any:
    """A hidden page at the URL of a page the current role may not open, so that a shared
    link never meets Streamlit's English "page not found": a visitor reads in Dutch that
    signing in opens it (with the link's view), a signed-in role that it may not. The
    page itself never runs."""
    def prompt() -> None:
        role = current_role()
        if role is Role.PUBLIEK:
            st.title(SIGN_IN_PROMPT)
            st.info(f"De pagina {escape_md(spec.title)} is alleen voor partners van het lerend "
                    "netwerk. Log in met het formulier in de zijbalk (op een telefoon opent de "
                    "knop linksboven de zijbalk); daarna opent deze pagina met dezelfde "
                    "instellingen.", icon=":material/lock:")
        else:
            st.title("Geen toegang")
            st.warning(f"Je rol {ROLE_LABELS[role]} mag de pagina {escape_md(spec.title)} "
                       "niet openen.", icon=":material/block:")

    return st.Page(prompt, title=spec.title, icon=spec.icon, url_path=spec.url_path,
                   visibility="hidden")


_REQUESTED = "requested_page"


def remember_requested_page() -> None:
    """A shared link to an internal page, opened before signing in: remember the page and
    its URL parameters (the view); signing in opens it (``sidebar_account`` says so)."""
    if current_role() is not Role.PUBLIEK:
        return
    spec = requested_internal_page(st.context.url)
    if spec is not None:
        st.session_state[_REQUESTED] = (spec.path, {k: st.query_params.get_all(k)
                                                    for k in st.query_params if k != _FAILED})


# ---------------------------------------------------------------- page furniture


def demo_data() -> bool:
    """Whether the figures shown are the demo generator's (labelled as such everywhere)."""
    return _demo()


def demo_marker() -> None:
    """The visible "Voorbeelddata" marker whenever demo data is displayed."""
    if _demo():
        st.badge(labels.DEMO_BADGE, icon=":material/science:", color="orange")
        st.caption(labels.DEMO_NOTE)


def table(df: pd.DataFrame, *, columns: dict[str, str] | None = None,
          column_config: dict[str, Any] | None = None, height: int | str = "auto",
          download: str | None = "") -> None:
    """A read-only table with Dutch headers (only the columns named, in that order).

    Below it, CSV and Excel downloads of what is shown; ``download`` names the file
    (default: derived from the headers; ``None`` for no downloads).
    """
    names = columns or {c: labels.COLUMNS.get(c, c) for c in df.columns}
    shown = df[list(names)].rename(columns=names)
    st.dataframe(shown, hide_index=True, width="stretch", height=height,
                 column_config=column_config)
    if download is not None:
        stem = download or "tabel_" + "_".join(names.values()).lower().replace(" ", "-")[:40]
        downloads(shown, stem)


def downloads(frame: pd.DataFrame, stem: str) -> None:
    """Small CSV and Excel download buttons for ``frame`` (built only when clicked)."""
    key = f"dl-{stem}-{_fingerprint(frame)}"
    with st.container(horizontal=True):
        _download("CSV", key=f"{key}-csv", data=lambda: exports.to_csv(frame),
                  file_name=f"{stem}.csv", mime="text/csv", help="Tabel downloaden als CSV")
        _download("Excel", key=f"{key}-xlsx", data=lambda: exports.to_xlsx(frame),
                  file_name=f"{stem}.xlsx",
                  mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  help="Tabel downloaden als Excel-werkmap")


def _download(label: str, *, key: str, **kwargs: Any) -> None:
    """A download button whose key stays unique when a page shows the same table twice."""
    for attempt in range(1, 100):
        try:
            st.download_button(label, key=key if attempt == 1 else f"{key}-{attempt}",
                               icon=":material/download:", on_click="ignore", **kwargs)
            return
        except StreamlitDuplicateElementKey:
            continue


def _fingerprint(frame: pd.DataFrame) -> str:
    """A stable id for a table's downloads: two different tables on a page never clash."""
    try:
        content = int(pd.util.hash_pandas_object(frame, index=False).sum())
    except TypeError:  # unhashable cells (lists): fall back to the text of the values
        content = hash(frame.astype(str).to_csv())
    return f"{hash((tuple(frame.columns), content)) & 0xFFFFFFFF:x}"


VegaSpec = dict[str, Any]


def chart_spec(build: Callable[..., alt.TopLevelMixin], *args: Any, **kwargs: Any) -> VegaSpec:
    """The Vega-Lite spec of ``build(*args, **kwargs)`` in Dutch locale, cached like
    ``computed``. Building and validating an altair chart costs 20-40 ms on every rerun; a
    cached spec renders in about 1 ms, which is most of Wijkprofiel's render time."""
    return _computed(functools.partial(_localized_spec, build),
                     f"spec:{build.__module__}.{build.__qualname__}", args,
                     tuple(sorted(kwargs.items())), _frame_versions(args, kwargs))


def _localized_spec(build: Callable[..., alt.TopLevelMixin], *args: Any,
                    **kwargs: Any) -> VegaSpec:
    return _as_spec(build(*args, **kwargs))


def _as_spec(chart: VegaSpec | alt.TopLevelMixin) -> VegaSpec:
    return chart if isinstance(chart, dict) else charts.dutch(chart).to_dict()


def vega(chart: VegaSpec | alt.TopLevelMixin) -> None:
    """Show a chart (a cached spec from ``chart_spec`` or an altair chart) in Dutch locale."""
    st.vega_lite_chart(_as_spec(chart), width="stretch")


def chart(spec: VegaSpec | alt.TopLevelMixin, name: str) -> None:
    """A chart in Dutch locale, with PNG and SVG downloads rendered by vl-convert."""
    localized = _as_spec(spec)
    vega(localized)
    with st.container(horizontal=True):
        _download("PNG", key=f"chart-{name}-png", data=lambda: exports.chart_png(localized),
                  file_name=f"{name}.png", mime="image/png",
                  help="Grafiek downloaden als afbeelding (PNG)")
        _download("SVG", key=f"chart-{name}-svg", data=lambda: exports.chart_svg(localized),
                  file_name=f"{name}.svg", mime="image/svg+xml",
                  help="Grafiek downloaden als vectorafbeelding (SVG)")


def unknown_url_value(raw: str, param: str) -> str:
    """The Dutch notice for a link whose ``?param=`` is not one of the options (URL
    parameters hold keys, never names), escaped."""
    return f"Onbekende waarde '{escape_md(raw)}' voor '{escape_md(param)}' in de link; genegeerd."


# Every view of this app fits in a short link: keys of areas, indicators and periods, ids,
# a search of at most 100 characters, every area of a programme in a multiselect. A link
# with more is no view of ours (a typo pasted many times, or a probe) and opens without it.
MAX_URL_VALUES = 64
MAX_URL_VALUE_CHARS = 100  # names and values; the search box of Casussen takes 100
OVERSIZED_LINK = (f"Deze link bevat te veel of te lange waarden (meer dan {MAX_URL_VALUES} "
                  f"waarden of een waarde langer dan {MAX_URL_VALUE_CHARS} tekens). De pagina "
                  "opent zonder de instellingen uit de link.")


def url_guard() -> None:
    """Refuse a link whose query string is larger than any view needs, as a whole and with
    a Dutch notice, before any page reads it (entry script; Streamlit itself already
    ignores query strings over 512 KiB or 1,000 fields, silently)."""
    values = [(name, value) for name in st.query_params
              for value in st.query_params.get_all(name)]
    if len(values) <= MAX_URL_VALUES and all(
            len(name) <= MAX_URL_VALUE_CHARS and len(value) <= MAX_URL_VALUE_CHARS
            for name, value in values):
        return
    st.query_params.clear()
    st.warning(OVERSIZED_LINK, icon=":material/link_off:")


def url_choice(param: str, options: list[str], default: str | None, *,
               notice: Any = None) -> str | None:
    """The option (a key) named in the URL (``?param=…``) if it is valid, else ``default``.
    With ``notice`` (a container, e.g. the widget's column) an invalid value is named
    there; leave it out where the options follow another choice (a period of the chosen
    indicator), so that a change of that choice brings no notice."""
    value = st.query_params.get(param)
    if value is not None and value not in options and notice is not None:
        notice.caption(unknown_url_value(value, param))
    return value if value in options else default


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")
