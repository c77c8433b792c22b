"""What every open-data source shares: the catalogue entry of an indicator, the figures a file
yields, Dutch refusals, and reading StatLine files (CBS and RIVM publish through StatLine).

No database here (``data_loaders.opendata.load`` writes) and no Streamlit.

StatLine files come in two layouts, both read by ``read_statline``:

- the CSV of a StatLine/OData bulk download: UTF-8 with BOM, CRLF, ``;`` separator, every
  field quoted, region keys padded with spaces to 10 characters (``"GM0935    "``), ``.``
  for a missing cell;
- the JSON that the Python package ``cbsodata`` saves (``TypedDataSet.json``: a list of
  records, ``null`` for a missing cell, the same padded keys), or a raw OData answer
  (``{"value": [...]}``).

Column keys carry an ordinal suffix (``AantalInwoners_5``, ``HuishoudensTotaal_29``) that
shifts between the yearly tables, so columns are matched on their key without it.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data_loaders.models import Polarity, ValueStatus

OK, SUPPRESSED, MISSING = (ValueStatus.OK.value, ValueStatus.SUPPRESSED.value,
                           ValueStatus.MISSING.value)
OWNER = "Programmateam lerend netwerk"
OUT_OF_SCOPE = "regio's buiten de gemeenten van de programmagebieden"
OTHER_REGIONS = "andere soorten regio's (provincies, GGD-regio's, …)"


class OpenDataError(ValueError):
    """The file cannot be loaded; the Dutch message says what is wrong and where."""


@dataclass(frozen=True)
class Catalogue:
    """The catalogue entry of one indicator, as its source defines it."""

    key: str
    label: str
    definition: str
    unit: str
    polarity: Polarity
    source: str
    licence: str
    reference_moment: str  # peildatum
    period_type: str = "jaar"
    is_rate: bool = False
    multiplier: float = 1.0  # rate = numerator / denominator * multiplier
    disclosure_rule: str = "standaard"


@dataclass(frozen=True)
class Figure:
    """One value for one region and period, as it will be stored."""

    indicator: str  # catalogue key
    region_code: str  # BU…, WK…, GM… or NL
    period: str  # "2023"
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    lower: float | None = None  # 95% interval of a model estimate
    upper: float | None = None
    status: str = OK
    note: str = ""


@dataclass
class Batch:
    """Everything one file yields: catalogue entries, figures and what was left out."""

    source: str  # the source key, e.g. "cbs-kwb"
    title: str  # the source in words, for messages and the audit trail
    file: str
    table: str = ""  # StatLine table id, when known
    catalogue: list[Catalogue] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # Dutch reason -> rows

    @property
    def periods(self) -> list[str]:
        return sorted({f.period for f in self.figures})

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n


@dataclass(frozen=True)
class Source:
    """An open-data source: ``read(path, year=…, municipalities=…)`` parses one file."""

    key: str
    title: str
    read: Callable[..., Batch]


# ---------------------------------------------------------------- cells and codes

MISSING_MARKS = {"", ".", "?", "-"}  # StatLine: unknown, unreliable, nothing to report
SECRET_MARKS = {"x"}  # StatLine (older tables): geheim
_REGION = re.compile(r"^(GM\d{4}|WK[0-9A-Z]{6}|BU[0-9A-Z]{8})$")
_OTHER_REGION = re.compile(r"^[A-Z]{2}\d{2,8}$")  # PV31, GG1413, CR17, …


def cell(raw: Any, where: str) -> tuple[float | None, str]:
    """One cell as ``(number, status)``: a number, or None with ontbreekt/onderdrukt."""
    if raw is None:
        return None, MISSING
    if isinstance(raw, bool):
        raise OpenDataError(f"{where}: '{raw}' is geen getal.")
    if isinstance(raw, (int, float)):
        return (None, MISSING) if math.isnan(raw) else (float(raw), OK)
    text = str(raw).strip()
    if text in MISSING_MARKS:
        return None, MISSING
    if text.lower() in SECRET_MARKS:
        return None, SUPPRESSED
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a decimal comma
    try:
        value = float(text)
    except ValueError:
        raise OpenDataError(f"{where}: '{str(raw).strip()}' is geen getal.") from None
    if math.isnan(value) or math.isinf(value):
        raise OpenDataError(f"{where}: '{str(raw).strip()}' is geen getal.")
    return value, OK


def dutch(value: float) -> str:
    """A number in a Dutch message: 64,8 and 5000 (no thousands separator, like the file)."""
    return f"{value:g}".replace(".", ",")


def status_note(status: str, who: str) -> str:
    """The note of a value without number: 'CBS: geheim', 'RIVM: onbekend of niet beschikbaar'."""
    return {SUPPRESSED: f"{who}: geheim",
            MISSING: f"{who}: onbekend of niet beschikbaar"}.get(status, "")


def region_code(raw: Any, where: str) -> str | None:
    """A StatLine region key as stored: ``GM0935``, ``WK093504``, ``BU09350402``, or ``NL``
    for the Netherlands (``NL00``, ``NL01``). None for another kind of region."""
    text = str(raw if raw is not None else "").strip().upper()
    if re.fullmatch(r"NL\d{2}", text):
        return "NL"
    if _REGION.match(text):
        return text
    if _OTHER_REGION.match(text):
        return None
    raise OpenDataError(f"{where}: '{str(raw or '').strip()}' is geen CBS-regiocode "
                        "(GM…, WK…, BU… of NL…).")


def municipality_digits(municipalities: Iterable[str]) -> frozenset[str]:
    """'GM0935' -> '0935': the part every buurt, wijk and gemeente code of it shares."""
    return frozenset(m[2:6] for m in municipalities)


def in_scope(code: str, digits: frozenset[str]) -> bool:
    """The Netherlands, and every gemeente, wijk and buurt of the registry's municipalities."""
    return code == "NL" or code[2:6] in digits


def year_from_name(path: Path, tables: Mapping[str, int]) -> tuple[int | None, str]:
    """The year (and StatLine table) a file name or its folder names: a table id such as
    ``85618NED`` (cbsodata saves ``TypedDataSet.json`` in a folder of that name), else a
    year 20xx in the file name."""
    names = (path.name.upper(), path.parent.name.upper())
    for table, year in tables.items():
        if any(table in n for n in names):
            return year, table
    found = re.search(r"(?<!\d)(20\d\d)(?!\d)", path.name)
    return (int(found.group(1)), "") if found else (None, "")


def check_year(found: int | None, given: int | None, path: Path) -> int:
    """The year to load: ``--jaar`` must agree with the file when the file names one."""
    if given is not None and found is not None and given != found:
        raise OpenDataError(f"{path.name}: het bestand hoort bij {found}, niet bij --jaar {given}.")
    year = given or found
    if year is None:
        raise OpenDataError(f"{path.name}: jaar onbekend; geef het op met --jaar "
                            "(bijvoorbeeld --jaar 2023).")
    return year


# ---------------------------------------------------------------- StatLine files


def base_key(column: str) -> str:
    """``HuishoudensTotaal_29`` -> ``HuishoudensTotaal``; dimensions keep their name."""
    return re.sub(r"_\d+$", "", column.strip())


@dataclass
class StatlineTable:
    """The rows of a StatLine file, with columns found by their key without ordinal."""

    name: str
    rows: list[dict[str, Any]]
    by_key: dict[str, list[str]]  # base key -> original column names
    csv: bool

    def row_label(self, index: int) -> str:
        """'rij 5' (a CSV line, counting the header as line 1) or 'record 4' (JSON)."""
        return f"rij {index + 2}" if self.csv else f"record {index + 1}"

    def where(self, index: int, column: str | None = None) -> str:
        """'bestand.csv, rij 5, kolom X': where a problem is, for a Dutch message."""
        return f"{self.name}, {self.row_label(index)}" + (f", kolom {column}" if column else "")

    def column(self, *keys: str) -> str | None:
        """The column of the first key present (keys without ordinal), or None."""
        for key in keys:
            found = self.by_key.get(key, [])
            if len(found) > 1:
                raise OpenDataError(f"{self.name}: kolom {key} komt meer dan eens voor "
                                    f"({', '.join(found)}).")
            if found:
                return found[0]
        return None

    def required(self, *keys: str, what: str) -> str:
        found = self.column(*keys)
        if found is None:
            raise OpenDataError(f"{self.name}: kolom {keys[0]} ontbreekt; is dit wel een "
                                f"bestand van {what}?")
        return found


def csv_rows(text: str, name: str, header: Callable[[str], str] = str.strip
             ) -> tuple[list[str], list[dict[str, str]]]:
    """The header (each name through ``header``) and rows of a ``;``-separated text; a row
    with more or fewer fields than the header is refused by its line number."""
    reader = csv.DictReader(text.splitlines(), delimiter=";", quotechar='"')
    headers = [header(h) for h in reader.fieldnames or []]
    reader.fieldnames = headers
    rows = []
    for i, row in enumerate(reader):
        if None in row or any(v is None for v in row.values()):
            raise OpenDataError(f"{name}, rij {i + 2}: het aantal velden klopt niet met de "
                                f"kopregel ({len(headers)} kolommen).")
        rows.append(row)
    return headers, rows


def read_statline(path: Path) -> StatlineTable:
    """Read a StatLine CSV or a cbsodata/OData JSON file into plain rows."""
    if not path.is_file():
        raise OpenDataError(f"Bestand niet gevonden: {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise OpenDataError(f"{path.name}: geen UTF-8-tekstbestand.") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise OpenDataError(f"{path.name}: geen geldige JSON (regel {exc.lineno}).") from None
        rows = data.get("value") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise OpenDataError(f"{path.name}: verwacht een lijst met records, zoals cbsodata "
                                "die bewaart (TypedDataSet.json).")
        is_csv = False
    else:
        headers, rows = csv_rows(text, path.name)
        if len(headers) < 2:
            raise OpenDataError(f"{path.name}: geen StatLine-CSV (kolommen gescheiden door ';').")
        is_csv = True
    if not rows:
        raise OpenDataError(f"{path.name}: het bestand bevat geen rijen.")
    by_key: dict[str, list[str]] = {}
    for column in rows[0]:
        by_key.setdefault(base_key(column), []).append(column)
    return StatlineTable(path.name, rows, by_key, is_csv)


def row_region(table: StatlineTable, i: int, row: Mapping[str, Any],
               dimension: str) -> str | None:
    """The region of a row: the region dimension, or ``Codering`` when the dimension holds
    names (``cbsodata.get_data`` replaces keys with titles)."""
    raw = row.get(dimension)
    coding = table.column("Codering")
    if coding and not _looks_like_code(raw):
        dimension, raw = coding, row.get(coding)
    return region_code(raw, table.where(i, dimension))


def _looks_like_code(raw: Any) -> bool:
    text = str(raw if raw is not None else "").strip().upper()
    return bool(re.fullmatch(r"NL\d{2}", text) or _REGION.match(text) or _OTHER_REGION.match(text))
