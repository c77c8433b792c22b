"""The generalised boundary file shipped with the project (``geo/boundaries/``).

``geo/build_boundaries.py`` derives it from the CBS Wijk- en Buurtkaart 2023 extract (CC BY
4.0). The seed loads it into ``cbs_geometry`` while no official CBS file has been imported,
so a new installation draws real neighbourhoods; importing an official file
(``python -m data_loaders.cbs_geo``) replaces it. Rows loaded from it are recognised by
their ``source``, which starts with ``SHIPPED_SOURCE``.
"""

from __future__ import annotations

from pathlib import Path

from geo.cbs import ATTRIBUTION, CbsBoundaries, read_cbs_file

BOUNDARIES_DIR = Path(__file__).resolve().parent / "boundaries"
SHIPPED_FILE = BOUNDARIES_DIR / "cbs_wijken_buurten_2023_programmagebieden.geojson"
SHIPPED_YEAR = 2023
LICENCE = "CC BY 4.0"
SHIPPED_ATTRIBUTION = f"Bron: CBS/Kadaster, Wijk- en Buurtkaart {SHIPPED_YEAR}"
# The ``source`` of every row loaded from the shipped file (cbs_geometry.source, 200 chars).
SHIPPED_SOURCE = f"meegeleverd (vereenvoudigd): {SHIPPED_ATTRIBUTION}, {LICENCE}"
MAX_BYTES = 300_000  # the shipped file stays small enough for the repository and the browser


def is_shipped(source: str | None) -> bool:
    """Whether a stored boundary row came from the shipped file (not an official import)."""
    return bool(source) and str(source).startswith(SHIPPED_SOURCE)


def attribution(sources: list[str], year: int | None) -> str:
    """The line under the map for the stored boundaries: source, year and licence."""
    if not sources:
        return ""
    if all(is_shipped(s) for s in sources):
        return f"{SHIPPED_ATTRIBUTION} ({LICENCE}); grenzen vereenvoudigd voor dit dashboard."
    official = f"{ATTRIBUTION} {year} ({LICENCE})."
    if any(is_shipped(s) for s in sources):  # an official file for some municipalities only
        return f"{official} Overige gemeenten: {SHIPPED_ATTRIBUTION}, vereenvoudigd."
    return official


def read_shipped(path: Path = SHIPPED_FILE) -> CbsBoundaries:
    """The shipped boundaries, normalised like an official file, marked as shipped."""
    found = read_cbs_file(path, SHIPPED_YEAR)
    return CbsBoundaries(found.parts, found.year, SHIPPED_SOURCE)
