"""Tables as spreadsheets: one `Sheet` written as CSV for Excel in the reader's language, or as
XLSX with real numbers and dates (openpyxl), so the figures of a page can be worked on further.

Cells are typed (text, whole numbers, decimals, dates); the CSV writes them as the reader's Excel
reads them, the XLSX keeps them as numbers and dates with a display format. Text that a
spreadsheet would run as a formula (an article title starting with "=", "+", "-" or "@") stays
text in both, since titles and outlet names come from strangers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Cell = str | int | float | dt.date | None

# The characters that make Excel and LibreOffice read a cell as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel's limits on a sheet's name: 31 characters, none of these.
_SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Column:
    title: str
    # For decimals: how many places to show (in the CSV text and the XLSX display format).
    places: int = 0
    percent: bool = False  # a share between 0 and 1, shown as a percentage


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: list[Sequence[Cell]] = field(default_factory=list)


def _text_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _number_text(value: float, *, places: int, decimal: str) -> str:
    return f"{value:.{places}f}".replace(".", decimal)


def _csv_cell(value: Cell, column: Column, *, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _text_safe(value)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if column.percent:
        return _number_text(100 * value, places=column.places, decimal=decimal)
    if isinstance(value, int):
        return str(value)
    return _number_text(value, places=column.places, decimal=decimal)


def to_csv(sheet: Sheet, *, decimal: str = ",") -> bytes:
    """CSV for Excel in the reader's language: with the decimal comma, fields are separated by
    semicolons (the list separator of the Vietnamese regional settings); UTF-8 with the byte-order
    mark Excel needs to read it as such. A share is written as a percentage number."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if decimal == "," else ",")
    writer.writerow([_text_safe(c.title) + (" (%)" if c.percent else "") for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow(
            [_csv_cell(value, column, decimal=decimal) for value, column in zip(row, sheet.columns, strict=True)]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _number_format(column: Column) -> str:
    decimals = "." + "0" * column.places if column.places else ""
    return f"0{decimals}%" if column.percent else f"#,##0{decimals}"


def sheet_name(title: str) -> str:
    return title.translate(_SHEET_NAME_FORBIDDEN).strip()[:31] or "Sheet"


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """One workbook, a worksheet per sheet: a bold header row that stays in view, numbers as
    numbers and dates as dates (dd/mm/yyyy), columns wide enough for their content."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in sheets:
        ws = book.create_sheet(sheet_name(sheet.title))
        ws.append([c.title for c in sheet.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        widths = [len(c.title) for c in sheet.columns]
        for r, row in enumerate(sheet.rows, start=2):
            for i, (value, column) in enumerate(zip(row, sheet.columns, strict=True)):
                cell = ws.cell(row=r, column=i + 1)
                if isinstance(value, str):
                    cell.value = value
                    # openpyxl stores text starting with "=" as a formula; it is a title.
                    cell.data_type = "s"
                    widths[i] = max(widths[i], min(len(value), 80))
                elif isinstance(value, dt.date):
                    cell.value = value
                    cell.number_format = "dd/mm/yyyy"
                    widths[i] = max(widths[i], 10)
                elif value is not None:
                    cell.value = value
                    if isinstance(value, float) or column.percent:
                        cell.number_format = _number_format(column)
                    widths[i] = max(widths[i], len(str(value)))
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width + 2
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
