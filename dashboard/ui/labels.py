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
PASSWORD = "Wachtwoord"

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

# The map without official CBS boundaries (SPEC §3).
GEO_FALLBACK_NOTE = (
    "Benaderde gebiedsgrenzen: de officiële CBS-grenzen zijn nog niet geladen, daarom staat elk "
    "gebied als een kleine zeshoek rond zijn middelpunt op de kaart. Laad de echte grenzen door de "
    "CBS Wijk- en Buurtkaart (GeoPackage of GeoJSON) te downloaden via cbs.nl of PDOK en op de "
    "server uit te voeren: `python -m data_loaders.cbs_geo pad/naar/wijkenbuurten_2023.gpkg`."
)
POLARITY = {"hoger is beter": "Hoger is beter", "lager is beter": "Lager is beter",
            "neutraal": "Neutraal"}
