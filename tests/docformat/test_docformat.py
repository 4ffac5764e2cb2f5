"""The party document layout, end to end: DOCX from python-docx, PDF from LibreOffice, PNG from
pdftoppm, read back by OCR and from the PDF's text layer."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document

from loa.docformat.charts import horizontal_bars, tone_over_time
from loa.docformat.convert import ConversionError, docx_to_pdf
from loa.docformat.docx import render_docx
from loa.docformat.layout import (
    Heading,
    Image,
    Item,
    Letterhead,
    Margins,
    Paragraph,
    PartyDocument,
    Signature,
    Table,
    date_line,
)
from tests.documents import need, ocr, pdf_to_png, pdf_words, read_as

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def sample(**changes: object) -> PartyDocument:
    chart = horizontal_bars(["EVN", "PVN", "Vietcombank"], [120, 80, 5], title="Số bài theo tổ chức")
    document = PartyDocument(
        letterhead=Letterhead(issuer="Ban Tuyên giáo và Dân vận", superior="Đảng ủy Khối Doanh nghiệp Trung ương"),
        date=dt.date(2026, 10, 3),
        doc_type="Báo cáo",
        summary="tình hình báo chí quý III năm 2026",
        symbol="12-BC/BTGDV",
        blocks=[
            Heading("I. TÌNH HÌNH CHUNG"),
            Paragraph("Trong quý, báo chí đăng 1.234 bài viết về các doanh nghiệp trong Khối."),
            Image(chart, 150, "Biểu đồ 1. Số bài theo tổ chức"),
            Table(["Tổ chức", "Số bài"], [["EVN", "120"], ["PVN", "80"]]),
            Item(
                1,
                "Giá điện tăng",
                "https://vnexpress.net/gia-dien.html",
                "VnExpress · 07:30 03/10/2026",
                "Sapo.",
                "Theo dõi",
                True,
            ),
        ],
        signature=Signature("T/M", "Ban Thường vụ", "Phó Bí thư", "Nguyễn Văn An"),
        recipients=["Ban Thường vụ Đảng ủy Khối (để b/c)", "Lưu VT"],
    )
    for key, value in changes.items():
        setattr(document, key, value)
    return document


def test_date_line_pads_days_below_ten_and_the_first_two_months() -> None:
    assert date_line("Hà Nội", dt.date(2018, 4, 3)) == "Hà Nội, ngày 03 tháng 4 năm 2018"
    assert date_line("Hà Nội", dt.date(2026, 2, 15)) == "Hà Nội, ngày 15 tháng 02 năm 2026"
    assert date_line("", dt.date(2026, 12, 31)) == "ngày 31 tháng 12 năm 2026"


def test_margins_parse_and_refuse_nonsense() -> None:
    assert Margins.parse("20, 20, 30, 15") == Margins(20, 20, 30, 15)
    with pytest.raises(ValueError, match="four numbers"):
        Margins.parse("20,20")
    with pytest.raises(ValueError, match="outside"):
        Margins.parse("20,20,300,15")
    with pytest.raises(ValueError, match="millimetres"):
        Margins.parse("a,b,c,d")


def test_signature_modes_are_the_party_ones() -> None:
    assert Signature("T/M", "Ban Thường vụ", "Phó Bí thư").lines == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"]
    assert Signature("", "", "Trưởng ban").lines == ["TRƯỞNG BAN"]
    with pytest.raises(ValueError, match="signature mode"):
        Signature("TM.")  # the state style, with a dot, is not the party's


def test_docx_holds_the_parts_in_order_with_the_page_setup() -> None:
    data = render_docx(sample())
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert section.page_width is not None
    assert section.left_margin is not None
    assert section.right_margin is not None
    assert round(section.page_width.mm) == 210
    assert round(section.left_margin.mm) == 30
    assert round(section.right_margin.mm) == 15
    heading = doc.tables[0]
    left, right = (cell.text for cell in heading.rows[0].cells)
    assert left.splitlines() == [
        "ĐẢNG ỦY KHỐI DOANH NGHIỆP TRUNG ƯƠNG",
        "BAN TUYÊN GIÁO VÀ DÂN VẬN",
        "*",
        "Số 12-BC/BTGDV",
    ]
    assert right.splitlines() == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Nội, ngày 03 tháng 10 năm 2026"]
    header_run = heading.rows[0].cells[1].paragraphs[0].runs[0]
    assert header_run.bold
    assert header_run.underline
    assert heading.rows[0].cells[1].paragraphs[1].runs[0].italic
    texts = [paragraph.text for paragraph in doc.paragraphs if paragraph.text]
    assert (
        texts.index("BÁO CÁO") < texts.index("tình hình báo chí quý III năm 2026") < texts.index("I. TÌNH HÌNH CHUNG")
    )
    closing = doc.tables[-1].rows[0].cells
    assert closing[0].text.splitlines() == ["Nơi nhận:", "- Ban Thường vụ Đảng ủy Khối (để b/c),", "- Lưu VT."]
    assert [line for line in closing[1].text.splitlines() if line] == [
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Nguyễn Văn An",
    ]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [name for name in archive.namelist() if name.startswith("word/media/")]
        assert len(media) == 1
        assert archive.read(media[0]).startswith(PNG_MAGIC)
        relations = archive.read("word/_rels/document.xml.rels").decode()
        assert "https://vnexpress.net/gia-dien.html" in relations
    assert doc.core_properties.title == "Báo cáo tình hình báo chí quý III năm 2026"


def test_a_paper_without_a_number_has_no_number_line() -> None:
    doc = Document(io.BytesIO(render_docx(sample(symbol="", signature=None, recipients=[]))))
    assert "Số" not in doc.tables[0].rows[0].cells[0].text
    assert len(doc.tables) == 2  # heading and the item table; no closing block


def test_charts_are_png_and_draw_an_empty_state() -> None:
    bars = horizontal_bars(["A", "B"], [3, 1], title="t")
    empty = horizontal_bars([], [], title="t")
    tone = tone_over_time(["01/2026"], {"negative": [1], "neutral": [2], "positive": [0]}, title="t", names={})
    for png in (bars, empty, tone):
        assert png.startswith(PNG_MAGIC)
    assert bars != empty


def test_pdf_through_libreoffice_reads_back_header_symbol_and_date(tmp_path: Path) -> None:
    need("soffice", "pdftoppm", "pdftotext", "tesseract")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(docx_to_pdf(render_docx(sample())))
    png = pdf_to_png(pdf)

    # Read by eye: the top right quarter holds the party header and the date line, the top
    # left the issuing body and the number.
    right = ocr(png, crop=(0.5, 0.0, 1.0, 0.2))
    left = ocr(png, crop=(0.0, 0.0, 0.52, 0.22))
    assert read_as(right, "ĐẢNG CỘNG SẢN VIỆT NAM"), right
    assert read_as(right, "Hà Nội, ngày 03 tháng 10 năm 2026"), right
    assert read_as(left, "BAN TUYÊN GIÁO VÀ DÂN VẬN"), left
    assert read_as(left, "Số 12-BC/BTGDV"), left

    # Exactly, from the text layer, with where each part sits on the page.
    words = pdf_words(pdf)
    first = {word.text: word for word in reversed(words)}
    assert first["CỘNG"].x > 0.5
    assert first["CỘNG"].y < 0.12
    assert first["12-BC/BTGDV"].x < 0.5
    assert first["Hà"].x > 0.5
    assert first["Hà"].y > first["CỘNG"].y
    assert first["BÁO"].y > first["12-BC/BTGDV"].y


def test_conversion_errors_say_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need("soffice")
    with pytest.raises(ConversionError, match="not a DOCX file"):
        docx_to_pdf(b"this is not a word file")
    good = render_docx(sample())
    with pytest.raises(ConversionError, match="not a DOCX file"):
        docx_to_pdf(good[: len(good) // 2])
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(ConversionError, match=r"no word/document\.xml"):
        docx_to_pdf(other.getvalue())
    monkeypatch.setattr("loa.docformat.convert.soffice_path", lambda: None)
    with pytest.raises(ConversionError, match="libreoffice-writer-nogui"):
        docx_to_pdf(render_docx(sample()))
