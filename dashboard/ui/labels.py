"""User-facing Dutch strings that recur across pages, kept together for consistency."""

from __future__ import annotations

from dashboard.domain.vocab import KNELPUNTEN  # noqa: F401 - re-exported for pages

APP_TITLE = "Lerend Netwerk Zuid-Limburg"
DEMO_BADGE = "Voorbeelddata"
DEMO_NOTE = (
    "Dit dashboard toont voorbeelddata: verzonnen cijfers om het dashboard te laten zien. "
    "Het zijn geen echte gegevens over personen of wijken."
)
SIGN_IN = "Inloggen"
SIGN_IN_SSO = "Inloggen met organisatie-account"
SIGN_OUT = "Uitloggen"
USERNAME = "Gebruikersnaam"
PASSWORD = "Wachtwoord"  # noqa: S105 - the field label, not a password

# Column headers for tables shown to users.
COLUMNS = {
    "name": "Gebied",
    "area": "Gebied",
    "programme": "Programma",
    "municipality_name": "Gemeente",
    "municipality_code": "Gemeentecode",
    "cbs_codes": "CBS-codes",
    "started_on": "Gestart",
    "residents": "Inwoners",
    "residents_year": "Peiljaar",
    "low_income_pct": "Laag inkomen (%)",
    "decided_on": "Datum",
    "subject": "Onderwerp",
    "outcome": "Besluit",
    "body": "Besloten door",
    "review_on": "Evaluatie op",
    "published": "Gepubliceerd",
    "status": "Status",
    "projects": "Projecten",
    "quarter": "Kwartaal",
    "admissions": "Opnames",
    "frail_elderly": "Kwetsbare ouderen",
    "per_1000": "Opnames per 1.000",
    "teams": "Kernteams",
}

# Operations notes about the map's boundaries: for the beheerder only, never a warning to
# bestuurders (the map itself always says where its boundaries come from).
GEO_OPERATIONS_NOTES = {
    "geen": ("Er zijn geen gebiedsgrenzen geladen. Voer `python -m data_loaders.seed` uit (laadt "
             "de meegeleverde vereenvoudigde CBS-grenzen) of laad de officiële CBS Wijk- en "
             "Buurtkaart met `python -m data_loaders.cbs_geo pad/naar/wijkenbuurten_2023.gpkg`."),
    "meegeleverd": ("De kaart gebruikt de meegeleverde vereenvoudigde CBS-grenzen (2023). Voor "
                    "de officiële, nauwkeurige grenzen met kerncijfers: `python -m "
                    "data_loaders.cbs_geo pad/naar/wijkenbuurten_2023.gpkg` (vervangt ze)."),
}
POLARITY = {"hoger is beter": "Hoger is beter", "lager is beter": "Lager is beter",
            "neutraal": "Neutraal"}
