"""Reading a directive out of its text: the republished seed 000 and documents as issued (our own
DOCX and its PDF), and input that is not a directive at all."""

from __future__ import annotations

import datetime as dt

import pytest

from loa.docformat.docx import render_docx
from loa.docformat.layout import Letterhead, Paragraph, PartyDocument, Signature
from loa.docformat.read import UnreadableDocument, text_of
from loa.text.directives import parse_directive
from tests.documents import need
from tests.shared import shared_path


def test_seed_000_the_conclusion_as_the_bloc_republished_it() -> None:
    parsed = parse_directive(shared_path("seeds", "000_ffb0d65ba92b0dfc.txt").read_text(encoding="utf-8"))
    assert parsed.symbol == "60-KL/ĐUK"
    assert parsed.type_name == "Kết luận"
    assert parsed.date == dt.date(2021, 8, 31)
    assert parsed.issuer_code == "ĐUK"
    assert parsed.issuer_name == "Ban Thường vụ Đảng ủy Khối Doanh nghiệp Trung ương"
    assert parsed.signer == "Nguyễn Long Hải"
    assert parsed.signer_position == "Ủy viên dự khuyết Trung ương Đảng, Bí thư Đảng ủy Khối"
    assert parsed.title.startswith("về tiếp tục thực hiện Chỉ thị số 04-CT/ĐUK về “Đẩy mạnh đổi mới")
    cited = {reference.symbol: reference.date for reference in parsed.references}
    assert cited["04-CT/ĐUK"] == dt.date(2016, 9, 22)
    assert cited["07-CT/TW"] == dt.date(2016, 9, 5)
    assert cited["01-KL/TW"] == dt.date(2021, 5, 18)
    assert "60-KL/ĐUK" not in cited
    assert [item.number for item in parsed.items] == ["1", "2", "3", "4", "5"]
    for item in parsed.items[:4]:
        assert item.bodies == ["các cấp ủy đảng", "các tổ chức đoàn thể", "cán bộ", "đảng viên"]
    assert parsed.items[0].heading.startswith("Tiếp tục quán triệt, phổ biến Chỉ thị số 07-CT/TW")
    last = parsed.items[4]
    assert last.text == "Tổ chức thực hiện"
    assert len(last.subitems) == 3
    assert last.bodies == [
        "Các cấp ủy",
        "tổ chức đảng",
        "tổ chức đoàn thể các cấp trong doanh nghiệp",
        "Ban Dân vận Đảng ủy Khối",
        "Đoàn Thanh niên Khối",
        "Ban Tuyên giáo Đảng ủy Khối",
    ]
    assert "Share On" not in parsed.text
    assert not parsed.text.endswith("Show Buttons")
    assert parsed.warnings == []


def issued() -> bytes:
    document = PartyDocument(
        letterhead=Letterhead(issuer="Ban Thường vụ", superior="Đảng bộ Khối Doanh nghiệp Trung ương"),
        date=dt.date(2021, 8, 31),
        doc_type="Kết luận",
        summary="về tiếp tục thực hiện Chỉ thị số 04-CT/ĐUK",
        symbol="60-KL/ĐUK",
        blocks=[
            Paragraph(
                "Ban Thường vụ Đảng ủy Khối yêu cầu các cấp ủy đảng, các tổ chức đoàn thể thực hiện tốt các "
                "nhiệm vụ sau:"
            ),
            Paragraph(
                "1. Tiếp tục quán triệt Chỉ thị số 07-CT/TW, ngày 05/9/2016 của Ban Bí thư về công tác thông tin cơ sở."
            ),
            Paragraph("2. Đổi mới nội dung tuyên truyền về doanh nghiệp nhà nước."),
            Paragraph("3. Tổ chức thực hiện"),
            Paragraph("- Ban Tuyên giáo Đảng ủy Khối theo dõi, đôn đốc việc thực hiện Kết luận này."),
        ],
        signature=Signature("T/M", "Ban Thường vụ", "Bí thư", "Nguyễn Long Hải"),
        recipients=["Các đảng ủy trực thuộc", "Lưu VT"],
    )
    return render_docx(document)


def check_issued(text: str) -> None:
    parsed = parse_directive(text)
    assert parsed.symbol == "60-KL/ĐUK"
    assert parsed.date == dt.date(2021, 8, 31)
    assert parsed.signer == "Nguyễn Long Hải"
    assert parsed.signer_position == "Bí thư"
    assert parsed.title == "về tiếp tục thực hiện Chỉ thị số 04-CT/ĐUK"
    assert [reference.symbol for reference in parsed.references] == ["04-CT/ĐUK", "07-CT/TW"]
    assert [(item.number, item.bodies) for item in parsed.items] == [
        ("1", ["các cấp ủy đảng", "các tổ chức đoàn thể"]),
        ("2", ["các cấp ủy đảng", "các tổ chức đoàn thể"]),
        ("3", ["Ban Tuyên giáo Đảng ủy Khối"]),
    ]


def test_a_document_as_issued_from_docx() -> None:
    check_issued(text_of(issued(), "ket-luan.docx"))


def test_a_document_as_issued_from_pdf() -> None:
    need("soffice", "pdftotext")
    from loa.docformat.convert import docx_to_pdf

    check_issued(text_of(docx_to_pdf(issued()), "ket-luan.pdf"))


def test_text_in_a_legacy_encoding_is_read() -> None:
    raw = shared_path("seeds", "000_ffb0d65ba92b0dfc.txt").read_text(encoding="utf-8")
    parsed = parse_directive(text_of(raw.encode("utf-16"), "ket-luan.txt"))
    assert parsed.symbol == "60-KL/ĐUK"


@pytest.mark.parametrize("text", ["", "Xin chào.", "1. Một\n1. Hai", "\x00" * 10, "Số 12\n" * 1000])
def test_what_is_not_a_directive_reads_as_empty_with_warnings(text: str) -> None:
    parsed = parse_directive(text)
    assert parsed.symbol == ""
    assert "number and symbol not found" in parsed.warnings


def test_unreadable_files_say_why() -> None:
    with pytest.raises(UnreadableDocument, match=r"\.doc"):
        text_of(b"\xd0\xcf\x11\xe0", "cu.doc")
    with pytest.raises(UnreadableDocument, match="not a text"):
        text_of(b"\x7fELF\x00\x00\x00", "a.bin")
    with pytest.raises(UnreadableDocument, match="DOCX"):
        text_of(b"PK\x03\x04broken", "a.docx")
    with pytest.raises(UnreadableDocument, match="larger than"):
        text_of(b"x" * (20 * 1024 * 1024 + 1), "big.txt")
    need("pdftotext")
    with pytest.raises(UnreadableDocument, match="PDF"):
        text_of(b"%PDF-1.4 garbage", "a.pdf")
