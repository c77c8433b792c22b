"""Excel/CSV import of every editable dataset: templates, upload checks, preview, commit.

- ``template(dataset)``: an Excel workbook (sheet *Gegevens* with the Dutch column headers,
  sheet *Instructies* explaining every column and rule).
- ``read_upload(filename, data)``: size limit and a real type check on the content (an
  .xlsx must be a zip holding a workbook; a .csv must be text), then a table of strings.
- ``check(engine, role, dataset, table)``: every row validated with the dataset's rules
  (``dashboard.datasets``, the same rules as the edit forms), each problem named by
  spreadsheet row and column, and per row what an import would do (nieuw, gewijzigd,
  ongewijzigd). Rows are matched on the dataset's natural key, so re-importing the same
  file changes nothing.
- ``commit(...)``: all or nothing in one transaction, one audit row.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard import writes
from dashboard.datasets import DATASETS, Dataset, Field, Problem, clean, display, is_blank
from dashboard.roles import Permission, Role, require
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
}


# ---------------------------------------------------------------- templates


def _rules(f: Field) -> str:
    parts = []
    if f.choices:
        parts.append("toegestaan: " + ", ".join(map(str, f.choices)))
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
         f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB en {MAX_ROWS:,} rijen.".replace(",", ".")],
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


class UploadError(ValueError):
    """The file cannot be read at all; the message is Dutch and shown as is."""


def _is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _decode_text(data: bytes) -> str:
    if b"\x00" in data:
        raise UploadError("Het bestand is geen tekstbestand (CSV): het bevat binaire gegevens.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadError("Het CSV-bestand heeft een onbekende tekenset; sla het op als UTF-8.")


def read_upload(filename: str, data: bytes) -> pd.DataFrame:
    """Check size and real type, then read the first sheet (or the CSV) as strings/values.

    Row 1 holds the headers; the returned frame's index is the spreadsheet row number.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"Het bestand is te groot ({len(data) // 1024} kB); het maximum is "
                          f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
    if not data:
        raise UploadError("Het bestand is leeg.")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        if not _is_xlsx(data):
            raise UploadError("Het bestand heet .xlsx maar is geen Excel-werkmap. Sla het in "
                              "Excel op als 'Excel-werkmap (.xlsx)' of gebruik CSV.")
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any parse failure is a bad upload
            raise UploadError("De Excel-werkmap kan niet worden gelezen.") from exc
        sheet = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
        wb.close()
    elif extension == "csv":
        if _is_xlsx(data):
            raise UploadError("Het bestand heet .csv maar is een Excel-werkmap; geef het de "
                              "extensie .xlsx.")
        text = _decode_text(data)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
        except csv.Error:
            dialect = csv.excel
            dialect.delimiter = ";" if text.count(";") >= text.count(",") else ","
        rows = list(csv.reader(io.StringIO(text), dialect))
    else:
        raise UploadError("Alleen .xlsx- en .csv-bestanden kunnen worden ingelezen.")
    while rows and all(v is None or str(v).strip() == "" for v in rows[-1]):
        rows.pop()
    if not rows:
        raise UploadError("Het bestand bevat geen kopjes en geen rijen.")
    if len(rows) - 1 > MAX_ROWS:
        raise UploadError(f"Het bestand heeft meer dan {MAX_ROWS} rijen; splits het op.")
    headers = ["" if h is None else str(h).strip() for h in rows[0]]
    body = [list(r) + [None] * (len(headers) - len(r)) for r in rows[1:]]
    frame = pd.DataFrame([r[: len(headers)] for r in body], columns=headers, dtype=object)
    frame.index = range(2, len(frame) + 2)
    return frame


# ---------------------------------------------------------------- checking and committing


def problems_text(count: int) -> str:
    from dashboard.i18n import fmt_number

    return f"{fmt_number(count)} {'probleem' if count == 1 else 'problemen'}"


@dataclass
class RowPlan:
    row: int
    action: str  # nieuw, gewijzigd, ongewijzigd
    key: str
    values: dict[str, Any]
    attrs: dict[str, Any]
    existing_id: int | None = None


@dataclass
class ImportCheck:
    dataset: str
    problems: list[Problem] = field(default_factory=list)
    plans: list[RowPlan] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        out = {NEW: 0, CHANGED: 0, SAME: 0}
        for p in self.plans:
            out[p.action] += 1
        return out

    def problem_table(self) -> pd.DataFrame:
        """Problems as a table with Dutch headers: Rij, Kolom, Probleem."""
        return pd.DataFrame(
            [{"Rij": p.row, "Kolom": p.label, "Probleem": p.message} for p in self.problems],
            columns=["Rij", "Kolom", "Probleem"])

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
        elif (all(getattr(existing, k) == v for k, v in attrs.items())
              and not getattr(existing, "deleted", False)):
            action = SAME
        else:
            action = CHANGED
        result.plans.append(RowPlan(row_number, action, ds.describe(values), values, attrs,
                                    existing.id if existing is not None else None))
    if not result.plans and not result.problems:
        result.problems.append(Problem("", "", "Het bestand bevat geen rijen met gegevens.", 2))
    return result


def check(engine: Engine, role: Role, dataset: str, table: pd.DataFrame) -> ImportCheck:
    """Validate every row and plan the import without writing anything."""
    require(role, Permission.EDIT_DATA)
    with session_factory(engine)() as session:
        return _plan(session, DATASETS[dataset], table)


def commit(engine: Engine, actor: str, role: Role, dataset: str, table: pd.DataFrame,
           filename: str = "") -> tuple[writes.WriteResult, ImportCheck]:
    """Import all rows in one transaction, or none when any row has a problem.

    Rows are matched on the natural key: unchanged rows are left alone (their version
    stays), so importing the same file twice changes nothing. One audit row either way.
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
        for plan in checked.plans:
            if plan.action == NEW:
                s.add(ds.model(**plan.attrs))
            elif plan.action == CHANGED:
                row = s.get(ds.model, plan.existing_id)
                for k, v in plan.attrs.items():
                    setattr(row, k, v)
                if ds.soft_delete:
                    row.deleted = False
        s.flush()
        counts = checked.counts()
        touched = [p.key for p in checked.plans if p.action != SAME][:200]
        message = (f"Ingelezen: {counts[NEW]} nieuw, {counts[CHANGED]} gewijzigd, "
                   f"{counts[SAME]} ongewijzigd.")
        return (writes.WriteResult(writes.OK, message), None,
                {"bestand": filename, **counts, "rijen": touched})

    result = writes.audited(engine, actor, role, writes.IMPORT, dataset, "", work)
    if not result.ok and not result.problems:
        result.problems = checked.problems
    return result, checked


# ---------------------------------------------------------------- export


def export_frame(dataset: str, rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``dataset`` (from ``writes.list_rows``) with the template's Dutch headers:
    the export is a filled-in template, so it can be corrected and imported again."""
    ds = DATASETS[dataset]
    out = pd.DataFrame(index=rows.index)
    for f in ds.fields:
        column = rows[f.name] if f.name in rows else pd.Series(index=rows.index, dtype=object)
        if f.kind == "list":
            column = column.map(lambda v: ", ".join(v) if isinstance(v, list) else v)
        elif f.kind == "bool":
            column = column.map(lambda v: None if v is None else ("ja" if v else "nee"))
        elif f.kind == "float":  # a number column: CSV gets decimal commas, Excel numbers
            column = pd.to_numeric(column).astype("Float64")
        out[f.label] = column
    return out
