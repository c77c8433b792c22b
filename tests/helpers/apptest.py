"""AppTest helpers: sign in, read every text element, check page registration."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard.domain.roles import Role
from geo.registry import load_registry

SIGNED_IN = [Role.BESTUURDER, Role.PROGRAMMATEAM, Role.BEHEERDER]
REGISTRY = load_registry()
AREA_NAMES = [a.name for a in REGISTRY.areas]  # the sixteen areas of SPEC §3
DRAWN_AREA_NAMES = [a.name for a in REGISTRY.areas if a.has_parts]  # not Douvenrade


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.sidebar.text_input(key="sign_in_username").input(username)
    at.sidebar.text_input(key="sign_in_password").input(password)
    return at.sidebar.button[0].click().run()


def all_text(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info")
             for e in getattr(at, kind)]
    parts += [m.label + " " + str(m.value) for m in at.metric]
    parts += [str(x.label) for x in at.expander]
    return "\n".join(str(p) for p in parts)


def registered(at: AppTest, path: str) -> bool:
    try:
        at.switch_page(path)
    except ValueError:
        return False
    return True


def widget(at, kind: str, key: str):
    return next(w for w in getattr(at, kind) if w.key == key)
