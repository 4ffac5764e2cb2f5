"""The evidence copy of a request as a party document (DOCX, PDF): the item as archived when
the request was made (address, capture time, SHA-256 of the archived page, its text) and the
checks so far. Always in Vietnamese: it is filed and sent as an official paper."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation

from loa.claims.models import ContentRequest, Outcome, RequestCheck
from loa.docformat.convert import docx_to_pdf
from loa.docformat.docx import render_docx
from loa.docformat.layout import Block, Heading, Paragraph, PartyDocument, Table
from loa.reports.letterhead import layout_letterhead, letterhead_of, margins, unit_layout

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vn_time(moment: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam's time, whatever the server's zone."""
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M") if moment else "—"


def _changes(check: RequestCheck) -> str:
    runs = [f"{'bỏ' if sign == '-' else 'thêm'}: “{words}”" for sign, words in check.diff if sign in ("-", "+")]
    if runs:
        return "; ".join(runs)[:1500]
    # An unreachable page's detail is the fetcher's own (often English) wording.
    if check.outcome == Outcome.UNREACHABLE and check.detail:
        return f"Lỗi kỹ thuật: {check.detail[:300]}"
    return check.detail[:300]


def evidence_document(request: ContentRequest, *, today: dt.date | None = None) -> PartyDocument:
    with translation.override("vi"):
        kind = str(request.get_kind_display())
        addressee = f"{request.addressee} ({request.get_addressee_kind_display()})"
        checks = [
            [vn_time(check.at), str(check.http_status or "—"), str(check.get_outcome_display()), _changes(check)]
            for check in request.checks.order_by("at", "id")
        ]
        outcome = str(request.get_outcome_display())
    blocks: list[Block] = [
        Heading("I. THÔNG TIN VỀ YÊU CẦU"),
        Paragraph(f"Loại yêu cầu: {kind}."),
        Paragraph(f"Gửi tới: {addressee}."),
        Paragraph(f"Thời điểm gửi: {vn_time(request.sent_at)}; thời hạn trả lời: {request.deadline:%d/%m/%Y}."),
        Paragraph(f"Căn cứ pháp lý: {request.legal_basis}"),
        Heading("II. BẢN LƯU TIN, BÀI GỐC"),
        Paragraph(f"Tin, bài: {request.article.title} ({request.article.outlet.name})."),
        Paragraph("Địa chỉ:", bold=True),
        Paragraph(request.url),
        Paragraph(f"Thời điểm lưu (giờ Việt Nam): {vn_time(request.original_captured_at)}"),
        Paragraph("Mã băm SHA-256 của trang đã lưu:", bold=True),
        Paragraph(request.original_sha256 or "(không có bản lưu)"),
        Paragraph("Nội dung:", bold=True),
        *(Paragraph(line.strip(), italic=True) for line in request.original_text.splitlines() if line.strip()),
        Heading("III. KẾT QUẢ KIỂM TRA"),
    ]
    if checks:
        blocks.append(Table(["Thời điểm", "Mã HTTP", "Kết quả", "Thay đổi"], checks, widths_mm=[32, 18, 30, 85]))
    else:
        blocks.append(Paragraph("Chưa kiểm tra lần nào."))
    blocks.append(Paragraph(f"Kết quả đến nay: {outcome}."))
    letterhead = letterhead_of(request.unit)
    return PartyDocument(
        letterhead=layout_letterhead(letterhead) if letterhead else unit_layout(request.unit),
        date=today or timezone.localdate(),
        doc_type="Bản lưu chứng cứ",
        summary="tin, bài được đề nghị cải chính, phản hồi hoặc gỡ bỏ",
        margins=margins(),
        title=f"Bản lưu chứng cứ - yêu cầu số {request.pk}",
        blocks=blocks,
    )


def evidence_bytes(request: ContentRequest, fmt: str, *, today: dt.date | None = None) -> bytes:
    """The evidence copy as DOCX or PDF (PDF through LibreOffice)."""
    docx = render_docx(evidence_document(request, today=today))
    if fmt == "docx":
        return docx
    if fmt == "pdf":
        return docx_to_pdf(docx, timeout=settings.LOA_PDF_TIMEOUT_SECONDS)
    raise ValueError(f"unknown document format {fmt!r}")
