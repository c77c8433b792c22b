"""Reading an upload stays bounded: small files that expand into gigabytes or minutes of
work are refused before they expand, in Dutch. Also: UTF-16 CSV, the data sheet when it
is not the first one, and formulas Excel never calculated.

Before these bounds (measured in a fresh process, same files): the 6 kB
``wide_dimension`` file ran out of a 4 GB address space after 5 s (+2.7 GB), the 160 kB
``many_cells`` file took 12 s, the 86 kB ``huge_shared_strings`` file 46 s (+184 MB) and
the 58 kB ``many_styles`` file 26 s (+233 MB).
"""

from __future__ import annotations

import codecs
import io
import time
import tracemalloc

import pytest
from openpyxl import Workbook, load_workbook

from dashboard.store import importers
from tests.helpers import xlsx_bombs

MAX_SECONDS = 2.0  # CPU time: the machine may be busy, the work must still be small
MAX_PEAK_MB = 100


def refused_quickly(data: bytes, filename: str = "bom.xlsx") -> str:
    """The Dutch refusal of ``data``, asserting it cost little CPU and memory."""
    tracemalloc.start()
    started = time.process_time()
    try:
        with pytest.raises(importers.UploadError) as refused:
            importers.read_upload(filename, data)
        seconds = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    finally:
        tracemalloc.stop()
    assert seconds < MAX_SECONDS, f"{seconds:.1f} s"
    assert peak < MAX_PEAK_MB, f"{peak:.0f} MB"
    return str(refused.value)


@pytest.mark.parametrize(("bomb", "said"), [
    ("wide_dimension", "rij 20001, kolom XFD: gegevens voorbij kolom AX"),
    ("many_cells", "verdacht sterk ingepakt"),
    ("huge_shared_strings", "verdacht sterk ingepakt"),
    ("many_styles", "verdacht sterk ingepakt"),
    ("zip_bomb", "verdacht sterk ingepakt"),
])
def test_a_small_xlsx_that_expands_enormously_is_refused_before_it_expands(bomb, said):
    data = xlsx_bombs.BOMBS[bomb]()
    assert len(data) < 200 * 1024
    assert said in refused_quickly(data)


@pytest.mark.parametrize(("bomb", "said"), [
    ("many_cells", "te veel cellen of teksten"),
    ("huge_shared_strings", "te veel cellen of teksten"),
    ("many_styles", "tienduizenden opmaakstijlen"),
])
def test_each_bound_holds_on_its_own_when_the_parts_pack_less_tightly(bomb, said, monkeypatch):
    """An attacker can make parts compress less than 100:1; the tag count still refuses."""
    monkeypatch.setattr(importers, "MAX_PART_RATIO", 10**9)
    assert said in refused_quickly(xlsx_bombs.BOMBS[bomb]())


def test_more_than_50_mb_unpacked_is_refused(monkeypatch):
    monkeypatch.setattr(importers, "MAX_PART_RATIO", 10**9)
    assert "uitgepakt is het groter dan 50 MB" in refused_quickly(xlsx_bombs.zip_bomb(60))


def test_a_row_number_far_beyond_excel_is_refused_not_walked_to():
    rows = '<row r="2000000000"><c r="A2000000000"><v>1</v></c></row>'
    data = xlsx_bombs._rebuild({"xl/worksheets/sheet1.xml": xlsx_bombs._sheet("A1:E1", rows)})
    assert "voorbij rij 1.048.576" in refused_quickly(data)


def test_a_lying_dimension_does_not_hide_columns():
    """The old reader truncated rows to a declared A1:A1 and read one column only."""
    rows = '<row r="2"><c r="A2" t="inlineStr"><is><t>pluswijken</t></is></c><c r="E2"><v>5</v></c></row>'
    data = xlsx_bombs._rebuild({"xl/worksheets/sheet1.xml": xlsx_bombs._sheet("A1:A1", rows)})
    table = importers.read_upload("b.xlsx", data)
    assert list(table.columns) == ["Programma", "Jaar", "Financier", "Wet", "Bedrag (euro)"]
    assert table.loc[2, "Bedrag (euro)"] == 5


# ---------------------------------------------------------------- CSV bounds

HEADER = "Programma;Jaar;Financier;Wet;Bedrag (euro)\n"


@pytest.mark.slow
def test_a_csv_with_more_than_20000_rows_is_refused():
    text = HEADER + "pluswijken;2031;CZ;Zvw;5\n" * (importers.MAX_ROWS + 1)
    assert "meer dan 20.000 rijen" in refused_quickly(text.encode(), "b.csv")


def test_blank_lines_do_not_count_and_keep_the_row_numbers():
    table = importers.read_upload("b.csv", (HEADER + "\n" * 30_000 + "pluswijken;2031;CZ;Zvw;5\n"
                                            ).encode())
    assert list(table.index) == [30_002]


def test_a_csv_row_wider_than_any_template_is_refused_with_row_and_column():
    text = HEADER + "pluswijken;2031;CZ;Zvw;5" + ";" * 60 + "x\n"
    assert "rij 2, kolom BM: gegevens voorbij kolom AX" in refused_quickly(text.encode(), "b.csv")


def test_data_in_a_column_without_a_header_is_not_silently_dropped():
    text = HEADER + "pluswijken;2031;CZ;Zvw;5;vergeten\n"
    assert "rij 2, kolom F: gegevens in een kolom zonder kopje" in refused_quickly(
        text.encode(), "b.csv")


def test_a_csv_cell_larger_than_the_field_limit_is_refused_with_its_row():
    text = HEADER + "pluswijken;2031;CZ;Zvw;5\n" + "pluswijken;2031;CZ;Wmo;" + "9" * 200_000
    assert refused_quickly(text.encode(), "b.csv").startswith("Rij 3: het CSV-bestand kan hier "
                                                              "niet worden gelezen")


# ---------------------------------------------------------------- encodings, sheets, formulas


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_csv_from_excel_is_read(encoding):
    """Excel's 'Unicode-tekst' is UTF-16 with a byte order mark, tab separated."""
    text = HEADER.replace(";", "\t") + "pluswijken\t2031\tCZ\tZvw\t1.234,5\n"
    data = text.encode(encoding)
    if encoding != "utf-16":  # add the BOM Excel writes
        data = (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE) + data
    table = importers.read_upload("unicode.csv", data)
    assert table.loc[2].tolist() == ["pluswijken", "2031", "CZ", "Zvw", "1.234,5"]


def test_a_utf16_file_without_a_byte_order_mark_says_how_to_save_it():
    message = refused_quickly(HEADER.encode("utf-16-le"), "b.csv")
    assert "binaire gegevens" in message and "CSV UTF-8" in message


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        sheet = wb.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


BUDGET_ROWS = [["Programma", "Jaar", "Financier", "Wet", "Bedrag (euro)"],
               ["pluswijken", 2031, "CZ", "Zvw", 5]]


def test_data_on_a_second_sheet_is_found_and_the_sheet_is_named():
    data = workbook_bytes({"Blad1": [], "Blad2": BUDGET_ROWS})
    table = importers.read_upload("b.xlsx", data)
    assert table.attrs["blad"] == "Blad2"
    assert table.loc[2, "Bedrag (euro)"] == 5
    wide = workbook_bytes({"Blad1": [], "Blad2": [BUDGET_ROWS[0], [None] * 60 + ["x"]]})
    assert "Blad 'Blad2', rij 2, kolom BI" in refused_quickly(wide)


def test_the_gegevens_sheet_wins_and_no_headers_anywhere_is_said_per_sheet():
    data = workbook_bytes({"Overzicht": [["iets anders"]], "Gegevens": BUDGET_ROWS})
    assert importers.read_upload("b.xlsx", data).attrs["blad"] == "Gegevens"
    empty = workbook_bytes({"Blad1": [], "Blad2": [[], [None, "x"]]})
    assert refused_quickly(empty).startswith("Geen blad heeft kopjes in rij 1 (bladen: "
                                             "'Blad1', 'Blad2')")


def test_a_formula_without_a_calculated_value_is_named_by_row_and_column():
    """openpyxl, like many tools, writes formulas without the value Excel would cache."""
    data = workbook_bytes({"Gegevens": [BUDGET_ROWS[0], ["pluswijken", 2031, "CZ", "Zvw", "=2+3"]]})
    assert refused_quickly(data) == (
        "Blad 'Gegevens': Rij 2, kolom E: formule zonder berekende waarde; open het bestand in "
        "Excel en sla het op, of typ de waarde.")


def test_a_formula_with_its_calculated_value_is_read_as_that_value():
    rows = ('<row r="2"><c r="A2" t="inlineStr"><is><t>pluswijken</t></is></c><c r="B2"><v>2031'
            '</v></c><c r="E2"><f>2+3</f><v>5</v></c></row>')
    data = xlsx_bombs._rebuild({"xl/worksheets/sheet1.xml": xlsx_bombs._sheet("A1:E2", rows)})
    assert importers.read_upload("b.xlsx", data).loc[2, "Bedrag (euro)"] == 5


@pytest.mark.slow
def test_the_template_of_every_size_is_read_back():
    wb = load_workbook(io.BytesIO(importers.template("budget")))
    for i in range(importers.MAX_ROWS):
        wb["Gegevens"].append(["pluswijken", 2031, "CZ", "Zvw", i])
    out = io.BytesIO()
    wb.save(out)
    table = importers.read_upload("vol.xlsx", out.getvalue())
    assert len(table) == importers.MAX_ROWS and table.index[-1] == importers.MAX_ROWS + 1


def test_the_upload_limit_is_one_number_everywhere():
    """5 MB = 5 x 1024 x 1024 bytes: Streamlit's server limit (config, in MB of 1024 x 1024
    bytes), the importer's own check and the Dutch text agree."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit/config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == importers.MAX_UPLOAD_BYTES
    assert importers.MAX_UPLOAD_BYTES == 5_242_880
    assert importers.size_text(importers.MAX_UPLOAD_BYTES) == "5 MB"
    header, line = b"Jaar;Toelichting\n", b"2031;" + b"x" * 294 + b"\n"
    rows = (importers.MAX_UPLOAD_BYTES - len(header)) // len(line)
    exact = header + line * rows
    exact += b"2031;" + b"x" * (importers.MAX_UPLOAD_BYTES - len(exact) - 5)
    assert len(exact) == importers.MAX_UPLOAD_BYTES
    assert len(importers.read_upload("b.csv", exact)) == rows + 1
    assert "het maximum is 5 MB" in refused_quickly(b"1" * (importers.MAX_UPLOAD_BYTES + 1),
                                                    "b.csv")
