"""Tabular exports: CSV streamed row by row, XLSX and ODS written to a temporary file."""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(*, header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # so that spreadsheet programs read UTF-8
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(["" if value is None else value for value in row])


def xlsx_file(*, title: str, header: list[str], rows: Iterable[list[Any]]) -> IO[bytes]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle


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
