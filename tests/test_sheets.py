"""Tables as spreadsheets: numbers stay numbers, text from strangers never runs as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from loa.docformat.sheets import Column, Sheet, sheet_name, to_csv, to_xlsx

SHEET = Sheet(
    "Bảng: thử/1",
    [
        Column("Tên"),
        Column("Số bài"),
        Column("Tỉ lệ", places=1, percent=True),
        Column("Ngày"),
        Column("Điểm", places=2),
    ],
    [
        ['=HYPERLINK("http://x")', 3, 0.6667, dt.date(2025, 3, 5), 1.005],
        ["+84 giá điện", 0, 0.0, None, 2.0],
        ["Bình thường", 12345, 1.0, dt.date(2025, 12, 31), 0.5],
    ],
)


def test_csv_for_a_vietnamese_excel() -> None:
    raw = to_csv(SHEET, decimal=",")
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Tên", "Số bài", "Tỉ lệ (%)", "Ngày", "Điểm"]
    assert rows[1] == ['\'=HYPERLINK("http://x")', "3", "66,7", "05/03/2025", "1,00"]
    assert rows[2] == ["'+84 giá điện", "0", "0,0", "", "2,00"]
    english = list(csv.reader(io.StringIO(to_csv(SHEET, decimal=".").decode("utf-8-sig"))))
    assert english[3] == ["Bình thường", "12345", "100.0", "31/12/2025", "0.50"]


def test_xlsx_keeps_numbers_dates_and_text() -> None:
    book = load_workbook(io.BytesIO(to_xlsx([SHEET, Sheet("Trống", [Column("A")])])))
    assert book.sheetnames == ["Bảng  thử 1", "Trống"]
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    first = sheet[2]
    assert first[0].value == '=HYPERLINK("http://x")'
    assert first[0].data_type == "s"  # text, not a formula
    assert first[1].value == 3
    assert first[2].value == 0.6667
    assert first[2].number_format == "0.0%"
    assert first[3].value == dt.datetime(2025, 3, 5)  # noqa: DTZ001 (a spreadsheet's date has no zone)
    assert first[3].number_format == "dd/mm/yyyy"
    assert sheet.cell(row=3, column=4).value is None


def test_sheet_names_fit_excel() -> None:
    assert sheet_name("Cơ quan báo chí đưa tin nhiều nhất: EVN [2025]") == "Cơ quan báo chí đưa tin nhiều n"[:31]
    assert len(sheet_name("x" * 50)) == 31
    assert sheet_name("///") == "Sheet"
