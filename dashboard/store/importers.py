"""Excel/CSV import of every editable dataset: templates, upload checks, preview, commit.

- ``template(dataset)``: an Excel workbook (sheet *Gegevens* with the Dutch column headers,
  sheet *Instructies* explaining every column and rule).
- ``read_upload(filename, data)``: size limit and a real type check on the content (an
  .xlsx must be a zip holding a workbook; a .csv must be text), then a table of strings.
- ``check(engine, role, dataset, table)``: every row validated with the dataset's rules
  (``dashboard.domain.datasets``, the same rules as the edit forms), each problem named by
  spreadsheet row and column, and per row what an import would do (nieuw, gewijzigd,
  ongewijzigd). Rows are matched on the dataset's natural key, so re-importing the same
  file changes nothing.
- ``commit(..., previewed=check.versions())``: all or nothing in one transaction, refused
  when a previewed row changed since; one audit row with every row's old and new values.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from dashboard.domain.datasets import DATASETS, Dataset, Field, Problem, clean, display, is_blank
from dashboard.domain.i18n import fmt_number
from dashboard.domain.roles import Role, require
from dashboard.domain.spreadsheet import unneutralise
from dashboard.store import writes
from data_loaders.db import session_factory

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
DATA_SHEET = "Gegevens"
NEW, CHANGED, SAME = "nieuw", "gewijzigd", "ongewijzigd"

KIND_HELP = {
    "text": "tekst", "longtext": "tekst", "int": "geheel getal (bv. 1.500)",
    "float": "getal (bv. 1.234,5): een komma voor decimalen, een punt alleen tussen "
             "duizendtallen",
    "date": "datum (jjjj-mm-dd of dd-mm-jjjj)", "month": "maand (jjjj-mm)",
    "quarter": "kwartaal (jjjj-Qn, bv. 2025-Q3)", "period": "periode (jjjj, jjjj-Qn of jjjj-mm)",
    "bool": "ja of nee", "choice": "één van de toegestane waarden",
    "list": "een of meer waarden, gescheiden door komma's", "ref": "code of sleutel",
    "refs": "een of meer codes of sleutels, gescheiden door komma's",
    "codes": "nul of meer codes, gescheiden door komma's",
}


# ---------------------------------------------------------------- templates


def _rules(f: Field) -> str:
    parts = []
    if f.choices:
        parts.append("toegestaan: " + ", ".join(map(str, f.choices)))
    if f.default is not None and not f.required:
        parts.append(f"leeg: {display(f.default)}")
    if f.min is not None and f.kind != "list":
        parts.append(f"minimaal {display(f.min)}")
    if f.min is not None and f.kind == "list":
        parts.append(f"minstens {int(f.min)} kiezen")
    if f.max is not None:
        parts.append(f"maximaal {display(f.max)}")
    if f.max_len:
        parts.append(f"hoogstens {f.max_len} tekens")
    return "; ".join(parts)


def template(dataset: str) -> bytes:
    """The Excel template (sjabloon) of ``dataset``: headers plus an instructions sheet."""
    ds = DATASETS[dataset]
    wb = Workbook()
    data = wb.active
    data.title = DATA_SHEET
    data.append([f.label for f in ds.fields])
    bold = Font(bold=True)
    for i, f in enumerate(ds.fields, start=1):
        cell = data.cell(row=1, column=i)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDEBF7" if f.required else "F2F2F2")
        data.column_dimensions[get_column_letter(i)].width = max(14, len(f.label) + 4)
    data.freeze_panes = "A2"

    info = wb.create_sheet("Instructies")
    keys = ", ".join(ds.field(k).label for k in ds.key)
    lines = [
        [f"Sjabloon: {ds.label}"],
        ["Vul op het blad 'Gegevens' één rij per regel in, onder de kopjes. Laat de kopjes staan."],
        [f"Rijen worden herkend aan: {keys}. Bestaat die combinatie al, dan wordt de rij "
         "bijgewerkt; anders wordt hij toegevoegd. Hetzelfde bestand opnieuw inlezen verandert "
         "niets."],
        ["Het inlezen gebeurt in zijn geheel of niet: bevat één rij een fout, dan wordt niets "
         "opgeslagen en zie je per rij en kolom wat er mis is."],
        [f"Toegestaan: .xlsx of .csv (puntkomma of komma als scheidingsteken), hoogstens "
         f"{size_text(MAX_UPLOAD_BYTES)} en {fmt_number(MAX_ROWS)} rijen."],
        ["Vul nooit namen of andere persoonsgegevens in: alleen codes en aantallen."],
    ]
    if ds.description:
        lines.append([ds.description])
    lines += [[], ["Kolom", "Verplicht", "Soort", "Regels", "Toelichting"]]
    for line in lines:
        info.append(line)
    header_row = info.max_row
    for cell in info[header_row]:
        cell.font = bold
    info["A1"].font = Font(bold=True, size=14)
    for f in ds.fields:
        info.append([f.label, "ja" if f.required else "nee", KIND_HELP[f.kind], _rules(f), f.help])
    for col, width in zip("ABCDE", (32, 10, 34, 60, 60), strict=True):
        info.column_dimensions[col].width = width
    for row in info.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- reading an upload
#
# An upload is read within fixed bounds, checked *before* anything is expanded: a 300 kB
# .xlsx can hold gigabytes of XML (a zip bomb), declare 16,384 columns per row, or carry
# millions of shared strings or cell styles that openpyxl would build objects for. The zip
# directory is checked first (parts, unpacked size, compression ratio), then the XML is
# streamed once to count its tags (C speed; this bounds every later parse), and only then
# does openpyxl read the one data sheet, row by row, with a time budget as a last resort.

MAX_COLUMNS = 50  # the widest template has 17 columns
MAX_XLSX_PARTS = 500
MAX_XLSX_UNPACKED = 50 * 1024 * 1024  # all parts together, unpacked
MAX_PART_RATIO = 100  # unpacked : packed, for parts over RATIO_FROM (XML packs 10-30x)
RATIO_FROM = 1024 * 1024
MAX_XML_TAGS = 3_000_000  # 20,000 rows x 17 text cells is about 2 million
MAX_STYLE_TAGS = 60_000  # thousands of cell formats; bloated workbooks have far more
MAX_EXCEL_ROW = 1_048_576
READ_SECONDS = 60.0  # a last resort: the bounds above already limit the work
_FORMULA_TAGS = (b"<f>", b"<f ", b":f>", b":f ")  # <f> or <x:f>: the sheet has formulas
_HUGE_ROW_NUMBER = re.compile(rb' r="[0-9]{8}')  # cell refs start with letters: a row
_CHUNK = 1024 * 1024


class UploadError(ValueError):
    """The file cannot be read at all; the message is Dutch and shown as is."""


def size_text(size: int) -> str:
    """Bytes as Dutch text: 5 MB, 34,7 MB, 86 kB (1 MB = 1024 x 1024 bytes)."""
    if size < 1024 * 1024:
        return f"{fmt_number(max(size // 1024, 1))} kB"
    return f"{fmt_number(size / (1024 * 1024), 0 if size % (1024 * 1024) == 0 else 1)} MB"


def _is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _too_complex(detail: str) -> UploadError:
    return UploadError(f"Het Excel-bestand wordt niet geopend: {detail}. Kopieer alleen de "
                       "gegevens naar een leeg sjabloon en probeer het opnieuw.")


def _check_archive(archive: zipfile.ZipFile) -> bool:
    """Refuse a workbook that would expand beyond the bounds; True when a worksheet holds
    formulas. Reads each XML part once as a stream (the zip module stops at the declared
    size and checks the CRC, so the sizes checked first cannot lie)."""
    parts = archive.infolist()
    if len(parts) > MAX_XLSX_PARTS:
        raise _too_complex(f"het bestaat uit {len(parts)} onderdelen (hoogstens {MAX_XLSX_PARTS})")
    if sum(p.file_size for p in parts) > MAX_XLSX_UNPACKED:
        raise _too_complex(f"uitgepakt is het groter dan {size_text(MAX_XLSX_UNPACKED)}")
    for p in parts:
        if p.file_size > RATIO_FROM and p.file_size > MAX_PART_RATIO * max(p.compress_size, 1):
            raise _too_complex(f"onderdeel {p.filename} is verdacht sterk ingepakt "
                               f"({size_text(p.compress_size)} wordt {size_text(p.file_size)})")
    tags, formulas = 0, False
    for p in parts:
        if not p.filename.endswith((".xml", ".rels")):
            continue
        worksheet, styles, tail = (p.filename.startswith("xl/worksheets/"),
                                   p.filename == "xl/styles.xml", b"")
        part_tags = 0
        with archive.open(p) as stream:
            while chunk := stream.read(_CHUNK):
                count = chunk.count(b"<")
                part_tags, tags = part_tags + count, tags + count
                if styles and part_tags > MAX_STYLE_TAGS:
                    raise _too_complex("het heeft tienduizenden opmaakstijlen")
                if tags > MAX_XML_TAGS:
                    raise _too_complex("het bevat te veel cellen of teksten (meer dan in "
                                       f"{fmt_number(MAX_ROWS)} rijen passen)")
                if worksheet:
                    window = tail + chunk
                    formulas = formulas or any(t in window for t in _FORMULA_TAGS)
                    if _HUGE_ROW_NUMBER.search(window):
                        raise _too_complex(f"{p.filename} noemt een rij voorbij rij "
                                           f"{fmt_number(MAX_EXCEL_ROW)}")
                    tail = chunk[-16:]
    return formulas


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _worksheet_rows(sheet: Any, deadline: float) -> Iterator[tuple[int, list[Any]]]:
    """The non-blank rows of a read-only worksheet as (row number, values), bounded."""
    sheet.reset_dimensions()  # the declared size may lie (XFD1048576): never pad to it
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number % 1000 == 0 and time.monotonic() > deadline:
            raise _too_complex("het inlezen duurt te lang")
        if not values or all(map(_blank, values)):
            continue
        yield number, list(values)


def _bounded(rows: Iterable[tuple[int, list[Any]]], where: str
             ) -> list[tuple[int, list[Any]]]:
    """Rows within MAX_ROWS data rows and MAX_COLUMNS columns, text cells unneutralised."""
    out = []
    for number, values in rows:
        if len(out) > MAX_ROWS:  # the header row and MAX_ROWS data rows are in
            raise UploadError(f"{where} heeft meer dan {fmt_number(MAX_ROWS)} rijen; splits "
                              "het bestand op.")
        if len(values) > MAX_COLUMNS and not all(map(_blank, values[MAX_COLUMNS:])):
            column = MAX_COLUMNS + next(i for i, v in enumerate(values[MAX_COLUMNS:], 1)
                                        if not _blank(v))
            raise UploadError(f"{where}, rij {number}, kolom {get_column_letter(column)}: "
                              f"gegevens voorbij kolom {get_column_letter(MAX_COLUMNS)}; "
                              "een sjabloon heeft minder kolommen.")
        out.append((number, [unneutralise(v) if isinstance(v, str) else v
                             for v in values[:MAX_COLUMNS]]))
    return out


def _formula_cells(data: bytes, title: str, rows: dict[int, list[Any]],
                   deadline: float) -> list[str]:
    """Cells that hold a formula Excel never calculated (no cached value): openpyxl reads
    the cached value (None) with data_only, so the formulas are read in a second pass."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        found = []
        for number, values in _worksheet_rows(workbook[title], deadline):
            cached = rows.get(number, [])
            for column, value in enumerate(values[:MAX_COLUMNS], start=1):
                is_formula = not isinstance(value, (str, int, float, bool, dt.date, dt.time,
                                                    dt.timedelta, type(None)))
                is_formula = is_formula or (isinstance(value, str) and value.startswith("="))
                if is_formula and (column > len(cached) or cached[column - 1] is None):
                    found.append(f"Rij {number}, kolom {get_column_letter(column)}")
        return found
    finally:
        workbook.close()


def _read_xlsx(data: bytes) -> tuple[str, list[tuple[int, list[Any]]]]:
    """The data sheet's rows: the sheet named Gegevens, else the first sheet with headers."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        formulas = _check_archive(archive)
    deadline = time.monotonic() + READ_SECONDS
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise UploadError("De Excel-werkmap kan niet worden gelezen.") from exc
    try:
        named = [s for s in workbook.worksheets if s.title.strip().lower() == DATA_SHEET.lower()]
        others = [s for s in workbook.worksheets if s.title.strip().lower() != "instructies"]
        for sheet in named or others:
            where = f"Blad '{sheet.title}'"
            rows = _bounded(_worksheet_rows(sheet, deadline), where)
            if named or (rows and rows[0][0] == 1):
                break
        else:
            titles = ", ".join(f"'{s.title}'" for s in workbook.worksheets)
            raise UploadError(f"Geen blad heeft kopjes in rij 1 (bladen: {titles}). Zet de "
                              f"kopjes van het sjabloon in rij 1 van het blad '{DATA_SHEET}'.")
        title = sheet.title
    finally:
        workbook.close()
    if formulas:
        cells = _formula_cells(data, title, dict(rows), deadline)
        if cells:
            shown = "; ".join(cells[:10]) + (f" en nog {len(cells) - 10}" if len(cells) > 10
                                              else "")
            raise UploadError(f"Blad '{title}': {shown}: formule zonder berekende waarde; "
                              "open het bestand in Excel en sla het op, of typ de waarde.")
    return title, rows


def _decode_text(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode-tekst"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UploadError("Het CSV-bestand is als UTF-16 opgeslagen maar is beschadigd; "
                              "sla het op als 'CSV UTF-8'.") from exc
    if b"\x00" in data:
        raise UploadError("Het bestand is geen tekstbestand (CSV): het bevat binaire gegevens. "
                          "Sla het in Excel op als 'CSV UTF-8 (gescheiden door lijstscheidings"
                          "tekens)'.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadError("Het CSV-bestand heeft een onbekende tekenset; sla het op als UTF-8.")


def _read_csv(data: bytes) -> list[tuple[int, list[Any]]]:
    text = _decode_text(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = ";" if text.count(";") >= text.count(",") else ","
    reader = csv.reader(io.StringIO(text), dialect) if not isinstance(dialect, str) else \
        csv.reader(io.StringIO(text), delimiter=dialect)
    numbered = ((reader.line_num, row) for row in reader if not all(map(_blank, row)))
    try:
        return _bounded(numbered, "Het bestand")
    except csv.Error as exc:  # a field over csv.field_size_limit() (128 kB), a stray quote
        raise UploadError(f"Rij {reader.line_num}: het CSV-bestand kan hier niet worden "
                          "gelezen (een cel is te lang of een aanhalingsteken staat "
                          "verkeerd).") from exc


def read_upload(filename: str, data: bytes) -> pd.DataFrame:
    """Check size and real type, then read the data sheet (or the CSV) as values.

    Row 1 holds the headers; the returned frame's index is the spreadsheet row number
    (blank rows are left out) and ``frame.attrs["blad"]`` names the sheet that was read.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"Het bestand is te groot ({size_text(len(data))}); het maximum is "
                          f"{size_text(MAX_UPLOAD_BYTES)}.")
    if not data:
        raise UploadError("Het bestand is leeg.")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        if not _is_xlsx(data):
            raise UploadError("Het bestand heet .xlsx maar is geen Excel-werkmap. Sla het in "
                              "Excel op als 'Excel-werkmap (.xlsx)' of gebruik CSV.")
        sheet, rows = _read_xlsx(data)
        where = f"Blad '{sheet}'"
    elif extension == "csv":
        if _is_xlsx(data):
            raise UploadError("Het bestand heet .csv maar is een Excel-werkmap; geef het de "
                              "extensie .xlsx.")
        sheet, rows, where = "", _read_csv(data), "Het bestand"
    else:
        raise UploadError("Alleen .xlsx- en .csv-bestanden kunnen worden ingelezen.")
    if not rows or rows[0][0] != 1:
        raise UploadError(f"{where} heeft geen kopjes in rij 1. Zet de kopjes van het "
                          "sjabloon in rij 1.")
    headers = ["" if h is None else str(h).strip() for h in rows[0][1]]
    while headers and not headers[-1]:
        headers.pop()
    for number, values in rows[1:]:
        beyond = [i for i, v in enumerate(values[len(headers):], len(headers) + 1) if not _blank(v)]
        if beyond:
            raise UploadError(f"{where}, rij {number}, kolom {get_column_letter(beyond[0])}: "
                              "gegevens in een kolom zonder kopje.")
    body = [values[: len(headers)] + [None] * (len(headers) - len(values)) for _, values in rows[1:]]
    frame = pd.DataFrame(body, columns=headers, index=[n for n, _ in rows[1:]], dtype=object)
    frame.attrs["blad"] = sheet
    return frame


# ---------------------------------------------------------------- checking and committing


def problems_text(count: int) -> str:
    from dashboard.domain.i18n import fmt_number

    return f"{fmt_number(count)} {'probleem' if count == 1 else 'problemen'}"


def problem_table(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table with Dutch headers: Rij, Kolom, Probleem."""
    return pd.DataFrame([{"Rij": p.row, "Kolom": p.label, "Probleem": p.message}
                         for p in problems], columns=["Rij", "Kolom", "Probleem"])


@dataclass
class RowPlan:
    row: int
    action: str  # nieuw, gewijzigd, ongewijzigd
    key: str
    values: dict[str, Any]
    attrs: dict[str, Any]
    existing_id: int | None = None
    existing_version: int | None = None  # the stored row's version when it was planned


@dataclass
class ImportCheck:
    dataset: str
    problems: list[Problem] = field(default_factory=list)
    plans: list[RowPlan] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def versions(self) -> dict[int, tuple[int | None, int | None]]:
        """Per spreadsheet row, the (id, version) of the stored row it was matched with
        ((None, None) for a new row): what ``commit`` must still find, or refuse."""
        return {p.row: (p.existing_id, p.existing_version) for p in self.plans}

    def counts(self) -> dict[str, int]:
        out = {NEW: 0, CHANGED: 0, SAME: 0}
        for p in self.plans:
            out[p.action] += 1
        return out

    def problem_table(self) -> pd.DataFrame:
        return problem_table(self.problems)

    def preview_table(self) -> pd.DataFrame:
        ds = DATASETS[self.dataset]
        return pd.DataFrame(
            [{"Rij": p.row, "Actie": p.action, **{f.label: display(p.values.get(f.name))
                                                    for f in ds.fields}} for p in self.plans],
            columns=["Rij", "Actie", *(f.label for f in ds.fields)])


def _map_headers(ds: Dataset, table: pd.DataFrame) -> tuple[dict[str, str], list[Problem]]:
    by_label = {f.label.lower(): f.name for f in ds.fields} | {f.name: f.name for f in ds.fields}
    mapping: dict[str, str] = {}
    problems = []
    for i, header in enumerate(table.columns, start=1):
        name = by_label.get(str(header).strip().lower())
        if name is None:
            if str(header).strip():
                problems.append(Problem("", str(header), f"Kolom {get_column_letter(i)} "
                                        f"('{header}') is onbekend in dit sjabloon.", 1))
            continue
        if name in mapping.values():
            problems.append(Problem(name, str(header), f"Kolom '{header}' staat er twee keer in.", 1))
            continue
        mapping[str(header)] = name
    for f in ds.fields:
        if f.required and f.name not in mapping.values():
            problems.append(Problem(f.name, f.label, f"Kolom '{f.label}' ontbreekt.", 1))
    return mapping, problems


def _plan(session: Session, ds: Dataset, table: pd.DataFrame) -> ImportCheck:
    result = ImportCheck(ds.name)
    mapping, result.problems = _map_headers(ds, table)
    if result.problems:
        return result
    refs = writes.RefMaps(session, ds)
    seen: dict[tuple[Any, ...], int] = {}
    # Links (e.g. a project's areas) and codes (an area's CBS parts) whose column the file
    # leaves out are left as they are: a file from an older template never unlinks anything.
    kept = [f for f in ds.fields
            if f.kind in ("refs", "codes") and f.name not in mapping.values()]
    for row_number, record in zip(table.index, table.to_dict("records"), strict=True):
        if all(is_blank(v) for v in record.values()):
            continue
        raw = {mapping[h]: v for h, v in record.items() if h in mapping}
        values, problems = clean(ds, raw, row=row_number)
        if not problems:
            attrs, ref_problems = writes.to_attrs(ds, values, refs)
            problems = [Problem(p.field, p.label, p.message, row_number) for p in ref_problems]
        if problems:
            result.problems += problems
            continue
        for f in kept:
            values.pop(f.name, None)
            attrs.pop(f.model_attr, None)
        key = tuple(attrs.get(ds.field(k).model_attr) for k in ds.key)
        if key in seen:
            label = ", ".join(ds.field(k).label for k in ds.key)
            result.problems.append(Problem(ds.key[0], ds.field(ds.key[0]).label,
                                           f"Dezelfde {label} staat ook in rij {seen[key]}.",
                                           row_number))
            continue
        seen[key] = row_number
        existing = writes.find_by_key(session, ds, attrs)
        if existing is None:
            action = NEW
        elif (writes.stored_attrs(ds, existing, attrs) == dict(attrs)
              and not getattr(existing, "deleted", False)):
            action = SAME
        else:
            action = CHANGED
        result.plans.append(RowPlan(row_number, action, ds.describe(values), values, attrs,
                                    *((existing.id, existing.version) if existing is not None
                                      else (None, None))))
    if not result.plans and not result.problems:
        result.problems.append(Problem("", "", "Het bestand bevat geen rijen met gegevens.", 2))
    return result


def check(engine: Engine, role: Role, dataset: str, table: pd.DataFrame) -> ImportCheck:
    """Validate every row and plan the import without writing anything."""
    require(role, DATASETS[dataset].permission)
    with session_factory(engine)() as session:
        return _plan(session, DATASETS[dataset], table)


def commit(engine: Engine, actor: str, role: Role, dataset: str, table: pd.DataFrame,
           filename: str = "", *, previewed: Mapping[int, tuple[int | None, int | None]]
           ) -> tuple[writes.WriteResult, ImportCheck]:
    """Import all rows in one transaction, or none when any row has a problem or changed
    since the preview.

    ``previewed`` is ``ImportCheck.versions()`` of the check the user saw. The rows are
    planned again inside the transaction; if any row's stored (id, version) differs from
    the preview (someone saved it, deleted it, or added it meanwhile; also for rows that
    were 'ongewijzigd'), nothing is written and each such row is named. Rows are matched
    on the natural key: unchanged rows are left alone (their version stays), so importing
    the same file twice changes nothing. One audit row either way; a successful one lists
    every new and changed row with its old and new values.
    """
    ds = DATASETS[dataset]
    checked = ImportCheck(dataset)

    def work(s: Session) -> tuple[writes.WriteResult, dict | None, dict | None]:
        nonlocal checked
        checked = _plan(s, ds, table)
        if not checked.ok:
            return (writes.WriteResult(writes.INVALID, f"Niets ingelezen: "
                                       f"{problems_text(len(checked.problems))} gevonden.",
                                       problems=checked.problems),
                    None, {"bestand": filename, "problemen": len(checked.problems)})
        stale = [p for p in checked.plans
                 if previewed.get(p.row) != (p.existing_id, p.existing_version)]
        if stale:
            return _changed_meanwhile(stale), None, {
                "bestand": filename, "conflicten": [{"rij": p.row, "sleutel": p.key}
                                                    for p in stale]}
        refs = writes.RefMaps(s, ds)
        changes = []
        for plan in checked.plans:
            if plan.action == NEW:
                writes.new_row(s, ds, plan.attrs)
                changes.append({"rij": plan.row, "sleutel": plan.key, "oud": None,
                                "nieuw": writes.jsonable(plan.values)})
            elif plan.action == CHANGED:
                row = s.get(writes.model_of(ds), plan.existing_id)
                before = writes.external(ds, row, refs)
                names = [n for n, v in plan.values.items() if before.get(n) != v]
                old = {n: before.get(n) for n in names}
                new = {n: plan.values[n] for n in names}
                writes.assign(s, ds, row, plan.attrs)
                if getattr(row, "deleted", False):
                    row.deleted = False
                    old["verwijderd"], new["verwijderd"] = True, False
                changes.append({"rij": plan.row, "sleutel": plan.key,
                                "oud": writes.jsonable(old), "nieuw": writes.jsonable(new)})
        try:
            s.flush()  # UPDATE ... WHERE version = the planned version
        except StaleDataError:
            s.rollback()
            return _changed_meanwhile([]), None, {"bestand": filename}
        counts = checked.counts()
        message = (f"Ingelezen: {counts[NEW]} nieuw, {counts[CHANGED]} gewijzigd, "
                   f"{counts[SAME]} ongewijzigd.")
        return (writes.WriteResult(writes.OK, message), None,
                {"bestand": filename, **counts, "rijen": changes})

    result = writes.audited(engine, actor, role, writes.IMPORT, dataset, "", work, ds.permission)
    if not result.ok and not result.problems:
        result.problems = checked.problems
    return result, checked


def _changed_meanwhile(stale: list[RowPlan]) -> writes.WriteResult:
    problems = [Problem("", "", f"Rij {p.row} ({p.key}) is intussen gewijzigd door iemand "
                                "anders; controleer het bestand opnieuw.", p.row) for p in stale]
    rows = (f"{len(stale)} rij is" if len(stale) == 1 else f"{len(stale)} rijen zijn") \
        if stale else "een rij is"
    return writes.WriteResult(writes.CONFLICT, f"Niets ingelezen: {rows} intussen gewijzigd "
                              "door iemand anders. Controleer het bestand opnieuw.",
                              problems=problems)


# ---------------------------------------------------------------- export


def export_frame(dataset: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``dataset`` (from ``writes.list_rows``) with the template's Dutch headers:
    the export is a filled-in template, so it can be corrected and imported again."""
    ds = DATASETS[dataset]
    out = pd.DataFrame(index=rows.index)
    for f in ds.fields:
        column = rows[f.name] if f.name in rows else pd.Series(index=rows.index, dtype=object)
        if f.kind in ("list", "refs", "codes"):
            column = column.map(lambda v: ", ".join(v) if isinstance(v, list) else v)
        elif f.kind == "bool":
            column = column.map(lambda v: None if v is None else ("ja" if v else "nee"))
        elif f.kind == "float":  # a number column: CSV gets decimal commas, Excel numbers
            column = pd.to_numeric(column).astype("Float64")
        out[f.label] = column
    return out
