"""Single sign-on: roles come from e-mail, domain or group claims by configuration."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.domain.roles import Role
from dashboard.domain.sso import MappingError, display_name, map_role

ROOT = Path(__file__).resolve().parents[2]
CONFIG = {
    "group_claim": "groups",
    "emails": {"Coordinator@Gemeente-Voorbeeld.nl": "programmateam"},
    "domains": {"gemeente-voorbeeld.nl": "bestuurder", "@zorgverzekeraar.example": "bestuurder"},
    "groups": {"grp-beheer": "beheerder", "grp-team": "programmateam"},
}


@pytest.mark.parametrize(("claims", "expected"), [
    ({"email": "wethouder@gemeente-voorbeeld.nl"}, Role.BESTUURDER),
    ({"email": "coordinator@gemeente-voorbeeld.nl"}, Role.PROGRAMMATEAM),  # highest rule wins
    ({"preferred_username": "directeur@zorgverzekeraar.example"}, Role.BESTUURDER),  # Entra UPN
    ({"email": "iemand@elders.example", "groups": ["grp-team"]}, Role.PROGRAMMATEAM),
    ({"email": "wethouder@gemeente-voorbeeld.nl", "groups": ["grp-beheer"]}, Role.BEHEERDER),
    ({"email": "iemand@elders.example"}, None),
    ({"email": "wethouder@gemeente-voorbeeld.nl", "email_verified": False}, None),
    ({"sub": "abc", "groups": "grp-beheer"}, Role.BEHEERDER),  # a single group as a string
])
def test_roles_are_mapped_from_claims(claims, expected):
    assert map_role(claims, CONFIG) == expected


def test_default_role_and_custom_group_claim():
    config = {"group_claim": "roles", "groups": {"Dashboard.Beheer": "beheerder"},
              "default": "bestuurder"}
    assert map_role({"email": "x@y.example"}, config) == Role.BESTUURDER
    assert map_role({"roles": ["Dashboard.Beheer"], "groups": []}, config) == Role.BEHEERDER
    assert map_role({"email": "x@y.example"}, {"default": "publiek"}) is None


def test_a_wrong_role_in_the_configuration_is_reported_in_dutch():
    with pytest.raises(MappingError, match="Onbekende rol 'admin' bij domains.y.example"):
        map_role({"email": "x@y.example"}, {"domains": {"y.example": "admin"}})


def test_display_name_prefers_the_verified_email():
    assert display_name({"email": "A@B.example", "sub": "123"}) == "a@b.example"
    assert display_name({"email": "a@b.example", "email_verified": False, "sub": "123"}) == "123"


def test_sign_in_offers_the_organisation_account_when_auth_is_configured(demo_sqlite_url,
                                                                          monkeypatch):
    monkeypatch.setenv("LN_DATABASE_URL", demo_sqlite_url)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback",
                          "cookie_secret": "x" * 32, "client_id": "id", "client_secret": "s",
                          "server_metadata_url": "https://login.example/.well-known/openid-configuration"}
    at.run()
    assert not at.exception
    assert [b.label for b in at.sidebar.button][0] == "Inloggen met organisatie-account"
    assert "Lokaal account" in [e.label for e in at.sidebar.expander]


def test_without_auth_only_the_local_form_is_shown(demo_sqlite_url, monkeypatch):
    monkeypatch.setenv("LN_DATABASE_URL", demo_sqlite_url)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    assert [b.label for b in at.sidebar.button] == ["Inloggen"]
