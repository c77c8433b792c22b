"""Role rules: who may do what, and which pages each role's navigation lists (SPEC §2, §2a)."""

import pytest

from dashboard.domain.roles import (
    DEFAULT_PAGE,
    PAGES,
    AccessDenied,
    Permission,
    Role,
    can,
    home_page_for,
    pages_for,
    require,
)

# SPEC §2a: the roles that may see each navigation title.
SPEC_PAGE_ROLES = {
    "Geleerde lessen": set(Role),
    "Toegankelijkheid": set(Role),
    **{t: {Role.BESTUURDER, Role.PROGRAMMATEAM, Role.BEHEERDER}
       for t in ("Overzicht", "Kaart", "Wijkprofiel", "Indicatoren", "Projecten",
                 "Welzijnscoaches", "Kernteams", "Financiën", "Besluiten", "Casussen")},
    **{t: {Role.PROGRAMMATEAM, Role.BEHEERDER}
       for t in ("Gegevens beheren", "Importeren", "Vergadermodus")},
    "Gebruikers": {Role.BEHEERDER},
    "Auditlog": {Role.BEHEERDER},
}


def test_the_pages_are_exactly_those_of_spec_2a():
    titles = [p.title for p in PAGES]
    assert sorted(titles) == sorted(SPEC_PAGE_ROLES)  # none missing, none extra
    assert len(set(titles)) == len(titles)


@pytest.mark.parametrize("role", list(Role))
def test_navigation_lists_exactly_the_pages_the_role_may_see(role):
    expected = [p.title for p in PAGES if role in SPEC_PAGE_ROLES[p.title]]
    assert [p.title for p in pages_for(role)] == expected


def test_anonymous_visitor_sees_only_public_pages():
    assert all(p.permission is Permission.VIEW_PUBLIC for p in pages_for(Role.PUBLIEK))
    public = {p.title for p in pages_for(Role.PUBLIEK)}
    assert public == {"Geleerde lessen", "Toegankelijkheid"}


def test_the_root_url_is_the_public_lessons_page_for_everyone():
    # a link to "/" must not depend on who opens it
    assert DEFAULT_PAGE.title == "Geleerde lessen"
    assert all(DEFAULT_PAGE in pages_for(role) for role in Role)


@pytest.mark.parametrize("role", [Role.BESTUURDER, Role.PROGRAMMATEAM, Role.BEHEERDER])
def test_signed_in_roles_land_on_overzicht(role):
    assert home_page_for(role).title == "Overzicht"


def test_permissions_grow_with_the_role():
    assert not can(Role.PUBLIEK, Permission.VIEW_INTERNAL)
    assert can(Role.BESTUURDER, Permission.VIEW_INTERNAL)
    assert not can(Role.BESTUURDER, Permission.EDIT_DATA)
    assert can(Role.PROGRAMMATEAM, Permission.EDIT_DATA)
    assert not can(Role.PROGRAMMATEAM, Permission.ADMINISTER)
    assert all(can(Role.BEHEERDER, p) for p in Permission)


def test_refusal_says_in_dutch_which_role_may_not_do_what():
    with pytest.raises(AccessDenied, match="Geen toegang: de rol 'Bestuurder' mag dit niet"):
        require(Role.BESTUURDER, Permission.EDIT_DATA)


def test_a_shared_link_to_an_internal_page_is_recognised():
    from dashboard.domain.roles import requested_internal_page

    assert requested_internal_page("https://dashboard.example.nl/kaart").title == "Kaart"
    assert requested_internal_page("http://localhost:8501/besluiten/").title == "Besluiten"
    assert requested_internal_page("http://localhost:8501/") is None
    assert requested_internal_page("http://localhost:8501/toegankelijkheid") is None  # public
    assert requested_internal_page(None) is None
