import csv
import io

import openpyxl
from odf.opendocument import load
from odf.table import TableCell

from guichet.documents import tables

HEADER = ["Numéro", "Nom"]
ROWS = [["2026-ACTE-000001", "Martin"], ["2026-ACTE-000002", None]]
FORMULA = '=HYPERLINK("http://evil.example","x")'


def test_csv_stream__writes_utf8_semicolon_rows_with_bom():
    text = "".join(tables.csv_stream(header=HEADER, rows=ROWS))

    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]), delimiter=";")) == [
        ["Numéro", "Nom"],
        ["2026-ACTE-000001", "Martin"],
        ["2026-ACTE-000002", ""],
    ]


def test_csv_stream__neutralises_formulas_typed_by_residents():
    text = "".join(tables.csv_stream(header=HEADER, rows=[["1", FORMULA], ["2", "@SUM(A1)"]]))

    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[1:] == [["1", "'" + FORMULA], ["2", "'@SUM(A1)"]]


def test_xlsx_file__writes_the_rows():
    handle = tables.xlsx_file(title="Dossiers", header=HEADER, rows=ROWS)

    sheet = openpyxl.load_workbook(handle).active
    assert sheet.title == "Dossiers"
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Numéro", "Nom"],
        ["2026-ACTE-000001", "Martin"],
        ["2026-ACTE-000002", None],
    ]


def test_xlsx_file__keeps_formulas_typed_by_residents_as_text():
    handle = tables.xlsx_file(title="Dossiers", header=HEADER, rows=[["1", FORMULA]])

    cell = openpyxl.load_workbook(handle).active["B2"]
    assert (cell.value, cell.data_type) == (FORMULA, "s")


def test_ods_file__writes_the_rows_as_strings():
    handle = tables.ods_file(title="Dossiers", header=HEADER, rows=[["1", FORMULA]])

    cells = load(handle).spreadsheet.getElementsByType(TableCell)
    assert [str(cell) for cell in cells] == ["Numéro", "Nom", "1", FORMULA]
    assert {cell.getAttribute("valuetype") for cell in cells} == {"string"}
