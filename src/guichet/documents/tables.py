"""Tabular exports: CSV streamed row by row, XLSX and ODS written to a temporary file."""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


# A cell starting with one of these is a formula to spreadsheet programs: answers typed by
# residents must stay text ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(*, header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # so that spreadsheet programs read UTF-8
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_safe(value) for value in row])


def xlsx_file(*, title: str, header: list[str], rows: Iterable[list[Any]]) -> IO[bytes]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would read "=…" as a formula
    return cell


def ods_file(*, title: str, header: list[str], rows: Iterable[list[Any]]) -> IO[bytes]:
    document = OpenDocumentSpreadsheet()
    table = Table(name=title[:31])
    for row in [header, *rows]:
        table_row = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text="" if value is None else str(value)))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    handle = tempfile.TemporaryFile()
    document.write(handle)
    handle.seek(0)
    return handle
