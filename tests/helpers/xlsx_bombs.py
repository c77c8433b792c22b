"""Small .xlsx files that expand into a lot of work: the uploads an attacker would try.

Each starts from the real template, so everything but the planted part is an ordinary
workbook. Used by tests/store/test_upload_limits.py (and to measure the old reader).
"""

from __future__ import annotations

import io
import zipfile

from dashboard.store import importers

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHARED_STRINGS_TYPE = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                       'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')


def _rebuild(replace: dict[str, bytes | str]) -> bytes:
    """The budget template with some parts replaced or added (streamed: parts may be big)."""
    source = zipfile.ZipFile(io.BytesIO(importers.template("budget")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        names = [i.filename for i in source.infolist()]
        for name in names + [n for n in replace if n not in names]:
            data = replace.get(name, source.read(name) if name in names else b"")
            target.writestr(name, data.encode() if isinstance(data, str) else data)
    return out.getvalue()


def _header_row() -> str:
    labels = ("Programma", "Jaar", "Financier", "Wet", "Bedrag (euro)")
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{label}</t></is></c>'
                    for i, label in enumerate(labels))
    return f'<row r="1">{cells}</row>'


def _sheet(dimension: str, rows: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="{dimension}"/>'
            f"<sheetData>{_header_row()}{rows}</sheetData></worksheet>")


def wide_dimension() -> bytes:
    """Declares A1:XFD20001 (16,384 columns) but holds two cells: a reader that pads every
    row to the declared width builds 20,001 x 16,384 values."""
    rows = '<row r="20001"><c r="XFD20001"><v>1</v></c></row>'
    return _rebuild({"xl/worksheets/sheet1.xml": _sheet("A1:XFD20001", rows)})


def many_cells(rows: int = 20_000, columns: int = 120) -> bytes:
    """20,000 rows of 120 numeric cells each (2.4 million cells) in a few hundred kB."""
    row = "<c><v>1</v></c>" * columns
    body = "".join(f'<row r="{r}">{row}</row>' for r in range(2, rows + 2))
    return _rebuild({"xl/worksheets/sheet1.xml": _sheet("A1:A1", body)})


def huge_shared_strings(count: int = 2_000_000) -> bytes:
    """Two million shared strings (34 MB of XML) that a reader loads before any row."""
    strings = (f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{count}" '
               f'uniqueCount="{count}">' + "<si><t>x</t></si>" * count + "</sst>")
    source = zipfile.ZipFile(io.BytesIO(importers.template("budget")))
    types = source.read("[Content_Types].xml").decode().replace("</Types>",
                                                                 SHARED_STRINGS_TYPE + "</Types>")
    rows = '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'
    return _rebuild({"xl/sharedStrings.xml": strings, "[Content_Types].xml": types,
                     "xl/worksheets/sheet1.xml": _sheet("A1:E2", rows)})


def many_styles(count: int = 300_000) -> bytes:
    """300,000 cell formats: parsed into objects when the workbook opens."""
    xf = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}>'
              '<fonts count="1"><font><sz val="11"/></font></fonts>'
              '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
              '<borders count="1"><border/></borders>'
              f'<cellStyleXfs count="1">{xf}</cellStyleXfs>'
              f'<cellXfs count="{count}">{xf * count}</cellXfs></styleSheet>')
    return _rebuild({"xl/styles.xml": styles})


def zip_bomb(megabytes: int = 40) -> bytes:
    """One part of 40 MB of blanks: over a thousand to one compressed."""
    return _rebuild({"xl/media/padding.xml": b" " * (megabytes * 1024 * 1024)})


BOMBS = {"wide_dimension": wide_dimension, "many_cells": many_cells,
         "huge_shared_strings": huge_shared_strings, "many_styles": many_styles,
         "zip_bomb": zip_bomb}
