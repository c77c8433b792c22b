"""Vektis open data: Zorgverzekeringswet costs per gemeente (yearly CSV).

The file has one row per sex, age class and municipality: ``;`` separator, decimal point,
lower-case headers cut at 32 characters (``kosten_medisch_specialistische_z``), municipality
names in capitals and no gemeentecode, plus one rest row with empty fields (insured people
without a known municipality; skipped). Per municipality of the area registry this stores,
for the file's year (from a ``jaar`` column or the file name):

- ``zvw_kosten``: all ``kosten_*`` columns summed over every sex/age row, divided by the
  summed ``aantal_verzekerdejaren``;
- ``ggz_kosten``: the same for mental health care. The GGZ columns changed with the
  zorgprestatiemodel of 2022 (column names found in published Vektis headers):

  ======== ==============================================================================
  from     columns
  ======== ==============================================================================
  2022     kosten_consulten_ggz, kosten_intramuraal_verblijf_ggz,
           kosten_overige_prestaties_ggz (``kosten_innovatiegelden_ggz`` is innovation money,
           not care, and is left out)
  2014     kosten_specialistische_ggz, kosten_generalistische_basis_ggz, kosten_langdurige_ggz
  2011     kosten_tweedelijns_ggz, kosten_eerstelijns_psychologisch(e_zorg)
  ======== ==============================================================================

Both are stored with numerator (euros) and denominator (insured-years), so they can be
recomputed for any combination of municipalities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from data_loaders.models import Polarity
from data_loaders.opendata.common import (
    Batch,
    Catalogue,
    Figure,
    OpenDataError,
    Source,
    cell,
    check_year,
    csv_rows,
    dutch,
    year_from_name,
)

KEY = "vektis-gemeente"
TITLE = "Vektis open data Zorgverzekeringswet per gemeente"
LICENCE = ("Vektis open data, hergebruik met bronvermelding: 'Bron: Vektis, Open Databestand "
           "Zorgverzekeringswet (gemeente)'.")
MAX_HEADER = 32  # Vektis cuts column names at 32 characters
INSURED = "aantal_verzekerdejaren"
COST_PREFIX = "kosten_"
GGZ_GENERATIONS = (
    (2022, ("kosten_consulten_ggz", "kosten_intramuraal_verblijf_ggz",
            "kosten_overige_prestaties_ggz")),
    (2014, ("kosten_specialistische_ggz", "kosten_generalistische_basis_ggz",
            "kosten_langdurige_ggz")),
    (2011, ("kosten_tweedelijns_ggz", "kosten_eerstelijns_psychologische_zorg")),
)
# Vektis spells municipalities in capitals, without apostrophes ("'s-Gravenhage" is
# "S GRAVENHAGE"); a file uses the municipal division of a later year. Every municipality of
# the area registry must be in this table: add a line when an area in a new one is added.
VEKTIS_NAMES = {
    "BEEK": "GM0888", "BEEKDAELEN": "GM1954", "BRUNSSUM": "GM0899",
    "EIJSDEN-MARGRATEN": "GM1903", "GULPEN-WITTEM": "GM1729", "HEERLEN": "GM0917",
    "KERKRADE": "GM0928", "LANDGRAAF": "GM0882", "MAASTRICHT": "GM0935", "MEERSSEN": "GM0938",
    "SIMPELVELD": "GM0965", "SITTARD-GELEEN": "GM1883", "STEIN": "GM0971", "VAALS": "GM0981",
    "VALKENBURG AAN DE GEUL": "GM0994", "VOERENDAAL": "GM0986",
    "S GRAVENHAGE": "GM0518", "S HERTOGENBOSCH": "GM0796",
}


def _entry(key: str, label: str, definition: str) -> Catalogue:
    return Catalogue(key=key, label=label, definition=definition, unit="euro",
                     polarity=Polarity.LOWER_IS_BETTER, source=TITLE, licence=LICENCE,
                     reference_moment="kalenderjaar (declaraties)", is_rate=True,
                     multiplier=1.0)


ZVW = _entry("zvw_kosten", "Zvw-zorgkosten per verzekerdejaar",
             "Alle zorgkosten onder de Zorgverzekeringswet (alle kostensoorten van het "
             "Vektis-bestand) gedeeld door het aantal verzekerdejaren, over alle leeftijden "
             "en beide geslachten.")
GGZ = _entry("ggz_kosten", "GGZ-kosten per verzekerdejaar",
             "Zvw-kosten van de geestelijke gezondheidszorg gedeeld door het aantal "
             "verzekerdejaren (vanaf 2022: consulten, intramuraal verblijf en overige "
             "prestaties GGZ; 2014-2021: specialistische, generalistische basis- en langdurige "
             "GGZ; tot 2014: tweedelijns GGZ en eerstelijns psychologische zorg).")


@dataclass
class _Totals:
    insured: float = 0.0
    costs: float = 0.0
    ggz: float = 0.0
    rows: list[int] = field(default_factory=list)


def _name(raw: str | None) -> str:
    return " ".join((raw or "").upper().split())


def _header(headers: list[str], name: str) -> str | None:
    """The header of column ``name``, also when Vektis cut it at 32 characters."""
    for h in headers:
        if h == name or (len(h) == MAX_HEADER and name.startswith(h)):
            return h
    return None


def ggz_columns(headers: list[str], file: str) -> list[str]:
    """The GGZ cost columns of this file's generation; a file mixing two is refused."""
    found = []
    for since, names in GGZ_GENERATIONS:
        present = {n: _header(headers, n) for n in names}
        if any(present.values()):
            found.append((since, present))
    if not found:
        raise OpenDataError(f"{file}: geen GGZ-kostenkolommen gevonden (verwacht bijvoorbeeld "
                            "kosten_consulten_ggz of kosten_specialistische_ggz).")
    if len(found) > 1:
        raise OpenDataError(f"{file}: GGZ-kolommen van twee indelingen (vanaf "
                            f"{found[0][0]} en vanaf {found[1][0]}) in één bestand.")
    missing = [n for n, h in found[0][1].items() if h is None]
    if missing:
        raise OpenDataError(f"{file}: kolom {missing[0]} ontbreekt (de GGZ-kolommen vanaf "
                            f"{found[0][0]} horen bij elkaar).")
    return [h for h in found[0][1].values() if h]


def _read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not path.is_file():
        raise OpenDataError(f"Bestand niet gevonden: {path}")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # older Vektis files are Windows-1252
    headers, rows = csv_rows(text, path.name, lambda h: h.strip().lower())
    for needed in ("gemeentenaam", INSURED):
        if needed not in headers:
            raise OpenDataError(f"{path.name}: kolom {needed} ontbreekt; is dit wel het "
                                "Vektis-bestand Zorgverzekeringswet per gemeente?")
    return headers, rows


def read(path: Path, *, year: int | None, municipalities: frozenset[str]) -> Batch:
    headers, rows = _read_rows(path)
    ggz = ggz_columns(headers, path.name)
    costs = [h for h in headers if h.startswith(COST_PREFIX)]
    period = str(check_year(_year(path, rows), year, path))
    unknown = sorted(m for m in municipalities if m not in VEKTIS_NAMES.values())
    if unknown:
        raise OpenDataError(f"Gemeente {', '.join(unknown)} van de programmagebieden staat niet in "
                            "de Vektis-namentabel (VEKTIS_NAMES in data_loaders/opendata/"
                            "vektis_gemeente.py): voeg de Vektis-schrijfwijze toe.")
    batch = Batch(KEY, TITLE, path.name, "", [ZVW, GGZ])
    totals: dict[str, _Totals] = {}
    for i, row in enumerate(rows):
        name = _name(row.get("gemeentenaam"))
        if not name:
            batch.skip("restrij zonder gemeente")
            continue
        code = VEKTIS_NAMES.get(name)
        if code not in municipalities:
            batch.skip("rijen van andere gemeenten")
            continue
        where = f"{path.name}, rij {i + 2}"
        t = totals.setdefault(code, _Totals())
        t.rows.append(i + 2)
        t.insured += _number(row, INSURED, where)
        row_costs = {h: _number(row, h, where) for h in costs}
        t.costs += sum(row_costs.values())
        t.ggz += sum(row_costs[h] for h in ggz)
    names = {code: name for name, code in VEKTIS_NAMES.items()}
    for code in sorted(municipalities):
        t = totals.get(code)
        if t is None:
            raise OpenDataError(f"{path.name}: gemeente {names[code].title()} ({code}) van de "
                                f"programmagebieden staat niet in het bestand (gezocht: "
                                f"'{names[code]}').")
        if t.insured <= 0:
            raise OpenDataError(f"{path.name}: gemeente {names[code]} heeft samen geen "
                                f"verzekerdejaren (rijen {t.rows[0]}-{t.rows[-1]}).")
        insured = round(t.insured, 4)
        for entry, amount in ((ZVW, t.costs), (GGZ, t.ggz)):
            num = round(amount, 2)
            batch.figures.append(Figure(entry.key, code, period, num / insured, num, insured))
    return batch


def _number(row: dict[str, str], column: str, where: str) -> float:
    text = (row.get(column) or "").strip()
    value = cell(text, f"{where}, kolom {column}")[0] if text else None
    if value is None:
        raise OpenDataError(f"{where}, kolom {column}: leeg of onbekend ('{text}'); "
                            "verwacht een getal.")
    if column == INSURED and value < 0:
        raise OpenDataError(f"{where}, kolom {column}: {dutch(value)} kan niet negatief zijn.")
    return value


def _year(path: Path, rows: list[dict[str, str]]) -> int | None:
    years = {(r.get("jaar") or "").strip() for r in rows if (r.get("jaar") or "").strip()}
    if len(years) > 1:
        raise OpenDataError(f"{path.name}: kolom jaar heeft meer dan één jaar "
                            f"({', '.join(sorted(years))}).")
    if years:
        text = years.pop()
        if not re.fullmatch(r"20\d\d", text):
            raise OpenDataError(f"{path.name}: kolom jaar: '{text}' is geen jaar.")
        return int(text)
    return year_from_name(path, {})[0]


SOURCE = Source(KEY, TITLE, read)
