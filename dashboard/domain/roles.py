"""Roles, permissions and which pages each role may see: the one owner of access rules.

Pages listed here are the only ones the navigation can show; a page is visible to a
role when the role holds the page's permission. Data-access functions call
``require`` themselves, so a hidden button is never the only barrier.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    PUBLIEK = "publiek"
    BESTUURDER = "bestuurder"
    PROGRAMMATEAM = "programmateam"
    BEHEERDER = "beheerder"


class Permission(enum.StrEnum):
    VIEW_PUBLIC = "view_public"  # lessons learned, published decisions, disclosed figures
    VIEW_INTERNAL = "view_internal"  # every dashboard page, read-only
    EDIT_DATA = "edit_data"  # enter and correct data, record decisions, import
    ADMINISTER = "administer"  # users and roles, audit log, areas, indicator definitions


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.PUBLIEK: frozenset({Permission.VIEW_PUBLIC}),
    Role.BESTUURDER: frozenset({Permission.VIEW_PUBLIC, Permission.VIEW_INTERNAL}),
    Role.PROGRAMMATEAM: frozenset(
        {Permission.VIEW_PUBLIC, Permission.VIEW_INTERNAL, Permission.EDIT_DATA}
    ),
    Role.BEHEERDER: frozenset(Permission),
}

ROLE_LABELS: dict[Role, str] = {
    Role.PUBLIEK: "Publiek",
    Role.BESTUURDER: "Bestuurder",
    Role.PROGRAMMATEAM: "Programmateam",
    Role.BEHEERDER: "Beheerder",
}


class AccessDenied(PermissionError):  # noqa: N818 - the Dutch UI calls it a refusal, not an error
    """Raised when a role lacks a permission; the message is shown to users in Dutch."""

    def __init__(self, role: Role, permission: Permission) -> None:
        self.role = role
        self.permission = permission
        super().__init__(
            f"Geen toegang: de rol '{ROLE_LABELS[role]}' mag dit niet "
            f"({PERMISSION_LABELS[permission]})."
        )


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.VIEW_PUBLIC: "openbare gegevens bekijken",
    Permission.VIEW_INTERNAL: "het dashboard bekijken",
    Permission.EDIT_DATA: "gegevens invoeren of wijzigen",
    Permission.ADMINISTER: "de applicatie beheren",
}


def can(role: Role, permission: Permission) -> bool:
    return permission in GRANTS[Role(role)]


def require(role: Role, permission: Permission) -> None:
    """Refuse (raise ``AccessDenied``) unless ``role`` holds ``permission``."""
    if not can(role, permission):
        raise AccessDenied(Role(role), permission)


@dataclass(frozen=True)
class PageSpec:
    title: str
    path: str  # relative to the project root
    permission: Permission
    icon: str
    section: str
    url_path: str


# Navigation titles follow SPEC §2a. Pages of later issues are added here when they exist.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("Overzicht", "pages/overzicht.py", Permission.VIEW_INTERNAL,
             ":material/dashboard:", "Dashboard", "overzicht"),
    PageSpec("Kaart", "pages/kaart.py", Permission.VIEW_INTERNAL,
             ":material/map:", "Gebieden", "kaart"),
    PageSpec("Wijkprofiel", "pages/wijkprofiel.py", Permission.VIEW_INTERNAL,
             ":material/location_city:", "Gebieden", "wijkprofiel"),
    PageSpec("Indicatoren", "pages/indicatoren.py", Permission.VIEW_INTERNAL,
             ":material/list_alt:", "Gebieden", "indicatoren"),
    PageSpec("Projecten", "pages/projecten.py", Permission.VIEW_INTERNAL,
             ":material/view_kanban:", "Monitoring", "projecten"),
    PageSpec("Welzijnscoaches", "pages/welzijnscoaches.py", Permission.VIEW_INTERNAL,
             ":material/diversity_3:", "Monitoring", "welzijnscoaches"),
    PageSpec("Kernteams", "pages/kernteams.py", Permission.VIEW_INTERNAL,
             ":material/elderly:", "Monitoring", "kernteams"),
    PageSpec("Financiën", "pages/financien.py", Permission.VIEW_INTERNAL,
             ":material/euro:", "Monitoring", "financien"),
    PageSpec("Besluiten", "pages/besluiten.py", Permission.VIEW_INTERNAL,
             ":material/gavel:", "Lerend netwerk", "besluiten"),
    PageSpec("Casussen", "pages/casussen.py", Permission.VIEW_INTERNAL,
             ":material/menu_book:", "Lerend netwerk", "casussen"),
    PageSpec("Geleerde lessen", "pages/geleerde_lessen.py", Permission.VIEW_PUBLIC,
             ":material/school:", "Openbaar", "geleerde-lessen"),
    PageSpec("Toegankelijkheid", "pages/toegankelijkheid.py", Permission.VIEW_PUBLIC,
             ":material/accessibility_new:", "Openbaar", "toegankelijkheid"),
    PageSpec("Gegevens beheren", "pages/gegevens_beheren.py", Permission.EDIT_DATA,
             ":material/edit_note:", "Beheer", "gegevens-beheren"),
    PageSpec("Importeren", "pages/importeren.py", Permission.EDIT_DATA,
             ":material/upload_file:", "Beheer", "importeren"),
    PageSpec("Vergadermodus", "pages/vergadermodus.py", Permission.EDIT_DATA,
             ":material/groups:", "Beheer", "vergadermodus"),
    PageSpec("Gebruikers", "pages/gebruikers.py", Permission.ADMINISTER,
             ":material/manage_accounts:", "Beheer", "gebruikers"),
    PageSpec("Auditlog", "pages/auditlog.py", Permission.ADMINISTER,
             ":material/history:", "Beheer", "auditlog"),
)


def pages_for(role: Role) -> list[PageSpec]:
    """The pages ``role`` may see, in navigation order."""
    return [p for p in PAGES if can(role, p.permission)]


def home_page_for(role: Role) -> PageSpec:
    """Where a role lands after signing in: Overzicht for signed-in roles."""
    visible = pages_for(role)
    return next((p for p in visible if p.permission is Permission.VIEW_INTERNAL), visible[0])


def requested_internal_page(url: str | None) -> PageSpec | None:
    """The internal page a URL points at (e.g. ``…/kaart``), if any: used to remember a
    shared link that an anonymous visitor opened before signing in."""
    if not url:
        return None
    last = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return next((p for p in PAGES if p.url_path == last and p.permission is not Permission.VIEW_PUBLIC),
                None)


# The page served at "/" for every role, so that links to it never depend on who opens them.
DEFAULT_PAGE = next(p for p in PAGES if p.title == "Geleerde lessen")
