"""The area registry: programme areas as data (``geo/areas.toml``), never as code."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

REGISTRY_PATH = Path(__file__).resolve().parent / "areas.toml"
_CBS_CODE = re.compile(r"^(BU\d{8}|WK\d{6})$")
CBS_CODE_RE = _CBS_CODE  # a buurt (BU + 8 digits) or wijk (WK + 6 digits); digits 1-4: gemeente
# Shown wherever an area without known CBS parts would be drawn or aggregated (SPEC §3).
NO_PARTS_TEXT = "nog geen CBS-indeling bekend"
MAX_NOTE = 400  # area.note
# A programme's total is shown as an area of its own (Wijkprofiel, Kaart's table) under this
# key: "totaal-" and the programme's key. It is built from the programme's active areas with
# known CBS parts by the one aggregation rule (``dashboard.domain.aggregation``).
TOTAL_PREFIX = "totaal-"


def programme_total_key(programme_key: str) -> str:
    return TOTAL_PREFIX + programme_key


def total_programme(area_key: str) -> str | None:
    """The programme key of a programme-total key; None for an area's own key."""
    return area_key.removeprefix(TOTAL_PREFIX) if area_key.startswith(TOTAL_PREFIX) else None


class RegistryError(ValueError):
    """The registry file is invalid; the message says where, in Dutch."""


@dataclass(frozen=True)
class ProgrammeSpec:
    key: str
    name: str
    started_on: dt.date
    description: str


@dataclass(frozen=True)
class AreaSpec:
    key: str
    name: str
    programme: str
    municipality_code: str
    municipality_name: str
    started_on: dt.date
    cbs_codes: tuple[str, ...]  # empty while the area's CBS parts are not known yet
    centroid: tuple[float, float]  # lon, lat
    note: str = ""  # e.g. why the area has no CBS parts yet

    @property
    def has_parts(self) -> bool:
        """An area without CBS parts has no polygon and is left out of every aggregate."""
        return bool(self.cbs_codes)

    @staticmethod
    def level_of(cbs_code: str) -> str:
        return "buurt" if cbs_code.startswith("BU") else "wijk"


@dataclass(frozen=True)
class Registry:
    programmes: tuple[ProgrammeSpec, ...]
    areas: tuple[AreaSpec, ...]

    def areas_of(self, programme: str) -> tuple[AreaSpec, ...]:
        return tuple(a for a in self.areas if a.programme == programme)

    @property
    def municipality_codes(self) -> frozenset[str]:
        """Municipalities of the areas whose CBS parts are known (boundaries are kept for these)."""
        return frozenset(a.municipality_code for a in self.areas if a.has_parts)


def load_registry(path: Path = REGISTRY_PATH) -> Registry:
    """Read and validate the registry; raise ``RegistryError`` naming the faulty entry."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    programmes = tuple(
        ProgrammeSpec(p["key"], p["name"], p["started_on"], " ".join(p["description"].split()))
        for p in raw.get("programme", [])
    )
    known = {p.key for p in programmes}
    areas: list[AreaSpec] = []
    for i, a in enumerate(raw.get("area", []), start=1):
        where = f"gebied {i} ({a.get('name', '?')}) in {path.name}"
        missing = [
            k
            for k in ("key", "name", "programme", "municipality_code", "cbs_codes", "centroid")
            if k not in a
        ]
        if missing:
            raise RegistryError(f"{where}: ontbrekend veld {', '.join(missing)}")
        if a["programme"] not in known:
            raise RegistryError(f"{where}: onbekend programma '{a['programme']}'")
        bad = [c for c in a["cbs_codes"] if not _CBS_CODE.match(c)]
        if bad:
            raise RegistryError(f"{where}: ongeldige CBS-code(s) {bad}")
        if len(" ".join(str(a.get("note", "")).split())) > MAX_NOTE:
            raise RegistryError(f"{where}: 'note' is langer dan {MAX_NOTE} tekens")
        if not a["cbs_codes"] and not str(a.get("note", "")).strip():
            raise RegistryError(f"{where}: geen CBS-codes; leg in 'note' uit waarom "
                                "(bijvoorbeeld: indeling nog niet bevestigd)")
        if not re.fullmatch(r"GM\d{4}", a["municipality_code"]):
            raise RegistryError(f"{where}: ongeldige gemeentecode '{a['municipality_code']}'")
        areas.append(
            AreaSpec(
                key=a["key"],
                name=a["name"],
                programme=a["programme"],
                municipality_code=a["municipality_code"],
                municipality_name=a.get("municipality_name", a["municipality_code"]),
                started_on=a.get("started_on", dt.date(2025, 1, 1)),
                cbs_codes=tuple(a["cbs_codes"]),
                centroid=(float(a["centroid"][0]), float(a["centroid"][1])),
                note=" ".join(str(a.get("note", "")).split()),
            )
        )
    keys = [a.key for a in areas]
    if len(set(keys)) != len(keys):
        raise RegistryError(f"dubbele gebiedssleutel in {path.name}")
    return Registry(programmes, tuple(areas))
