"""Reading respondents from a spreadsheet (CSV or XLSX), all or nothing.

One row per respondent: a `respondent` column (unique in the campaign) and one column per
item code; multiple choices separated by `;`; an empty cell means "not applicable".
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from guichet.barometer.questionnaire import INTEGER, LEVEL, MULTIPLE, STRATUM, Template

RESPONDENT = "respondent"


@dataclass(frozen=True)
class CellError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    value: str
    message: str
    allowed: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = _("ligne %(row)s, colonne « %(column)s » : %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }
        if self.allowed:
            text += " " + _("(valeurs permises : %(allowed)s)") % {
                "allowed": ", ".join(self.allowed)
            }
        return text


@dataclass
class Parsed:
    sheets: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)


def rows_read(*, content: bytes, name: str) -> Iterator[list[str]]:
    """The rows of a CSV (`;` or `,`, UTF-8 with or without BOM) or XLSX file, as text."""
    if name.lower().endswith(".xlsx"):
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_text(value) for value in values]
        workbook.close()
        return
    text = content.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    for values in csv.reader(io.StringIO(text), delimiter=delimiter):
        yield [value.strip() for value in values]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse(*, template: Template, rows: Iterator[list[str]]) -> Parsed:
    parsed = Parsed()
    try:
        header = next(rows)
    except StopIteration:
        parsed.errors.append(CellError(1, "", "", _("le fichier est vide")))
        return parsed
    header = [value.strip() for value in header]
    items = template.by_code
    if RESPONDENT not in header:
        parsed.errors.append(CellError(1, RESPONDENT, "", _("la colonne « respondent » manque")))
    if "authority_type" not in header:
        parsed.errors.append(
            CellError(1, "authority_type", "", _("la colonne « authority_type » manque"))
        )
    for column in header:
        if column != RESPONDENT and column not in items:
            parsed.errors.append(
                CellError(1, column, column, _("colonne inconnue du questionnaire"))
            )
    if parsed.errors:
        return parsed
    seen: dict[str, int] = {}
    for number, values in enumerate(rows, start=2):
        if not any(values):
            continue
        cells = dict(zip(header, values + [""] * (len(header) - len(values)), strict=False))
        key = cells.pop(RESPONDENT)
        if not key:
            parsed.errors.append(CellError(number, RESPONDENT, "", _("le répondant manque")))
            continue
        if key in seen:
            parsed.errors.append(
                CellError(
                    number,
                    RESPONDENT,
                    key,
                    _("répondant déjà présent ligne %(row)s") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = number
        answers, errors = answers_clean(template=template, cells=cells, row=number)
        parsed.errors.extend(errors)
        parsed.sheets.append((key, answers))
    return parsed


def answers_clean(
    *, template: Template, cells: dict[str, str], row: int = 0
) -> tuple[dict[str, Any], list[CellError]]:
    """Checks each cell against its item: allowed values, and that the item applies to the
    respondent (its stratum, its condition). Empty cells are left out."""
    answers: dict[str, Any] = {}
    errors: list[CellError] = []
    for item in template.items:  # in template order, so that conditions are read first
        cell = cells.get(item.code) or ""
        raw = (";".join(cell) if isinstance(cell, list) else str(cell)).strip()
        if not raw:
            if item.type == STRATUM:
                errors.append(CellError(row, item.code, "", _("valeur obligatoire"), item.allowed))
            continue
        if item.type == INTEGER:
            if not raw.isdigit():
                errors.append(CellError(row, item.code, raw, _("nombre entier attendu")))
                continue
            value: Any = int(raw)
        elif item.type == MULTIPLE:
            value = [part.strip() for part in raw.split(";") if part.strip()]
            wrong = [part for part in value if part not in item.allowed]
            if wrong:
                errors.append(
                    CellError(
                        row,
                        item.code,
                        raw,
                        _("valeur inconnue : %s") % ", ".join(wrong),
                        item.allowed,
                    )
                )
                continue
        else:
            value = raw
            if value not in item.allowed:
                errors.append(CellError(row, item.code, raw, _("valeur non permise"), item.allowed))
                continue
        if item.type == LEVEL:
            value = int(value)
        if item.type != STRATUM and "authority_type" in answers and not item.applies(answers):
            errors.append(
                CellError(
                    row,
                    item.code,
                    raw,
                    _("question sans objet pour ce répondant (laisser vide)"),
                )
            )
            continue
        answers[item.code] = value
    return answers, errors
