"""Single sign-on (OIDC, e.g. Microsoft Entra ID): map identity claims to a dashboard role.

Streamlit's ``st.login`` handles the protocol when ``.streamlit/secrets.toml`` has an
``[auth]`` section; this module only decides which role a signed-in identity gets, from
configuration (``[role_mapping]`` in the same file, see README):

    [role_mapping]
    group_claim = "groups"                      # claim with group ids (Entra ID: "groups")
    emails = { "coordinator@gemeente.nl" = "programmateam" }
    domains = { "maastricht.nl" = "bestuurder" }
    groups = { "3f6c…-group-object-id" = "beheerder" }
    default = ""                                # role for anyone else; "" = no access

The highest role that any rule grants wins. E-mail rules are ignored when the provider
says the address is not verified. Pure functions, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dashboard.domain.roles import Role

RANK = {Role.PUBLIEK: 0, Role.BESTUURDER: 1, Role.PROGRAMMATEAM: 2, Role.BEHEERDER: 3}
EMAIL_CLAIMS = ("email", "preferred_username", "upn")


class MappingError(ValueError):
    """The role mapping in the configuration is wrong (message in Dutch, for the beheerder)."""


def _role(value: Any, where: str) -> Role:
    try:
        return Role(str(value).strip().lower())
    except ValueError:
        raise MappingError(f"Onbekende rol '{value}' bij {where} in [role_mapping]; kies uit "
                           f"{', '.join(r.value for r in Role)}.") from None


def identity_email(claims: Mapping[str, Any]) -> str | None:
    """The user's e-mail address from the usual claims, lower-cased; None if unverified."""
    if claims.get("email_verified") is False:
        return None
    for name in EMAIL_CLAIMS:
        value = claims.get(name)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()
    return None


def _as_list(value: Any) -> Iterable[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def map_role(claims: Mapping[str, Any], config: Mapping[str, Any]) -> Role | None:
    """The role for an OIDC identity, or None when the configuration grants it nothing."""
    granted: list[Role] = []
    email = identity_email(claims)
    if email:
        for address, role in dict(config.get("emails", {})).items():
            if address.strip().lower() == email:
                granted.append(_role(role, f"emails.{address}"))
        domain = email.rsplit("@", 1)[1]
        for name, role in dict(config.get("domains", {})).items():
            if name.strip().lower().lstrip("@") == domain:
                granted.append(_role(role, f"domains.{name}"))
    groups = set(_as_list(claims.get(str(config.get("group_claim", "groups")))))
    for group, role in dict(config.get("groups", {})).items():
        if group in groups:
            granted.append(_role(role, f"groups.{group}"))
    default = str(config.get("default", "") or "")
    if default:
        granted.append(_role(default, "default"))
    granted = [r for r in granted if r is not Role.PUBLIEK]
    return max(granted, key=RANK.__getitem__) if granted else None


def display_name(claims: Mapping[str, Any]) -> str:
    """What the sidebar and the audit log call this user (e-mail, else subject)."""
    return (identity_email(claims) or str(claims.get("sub", "onbekend")))[:80]
