"""The periodic report as a party document (DOCX, PDF) and its charts as PNG, drawn from the
report's JSON snapshot."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from loa.analysis.models import tone_label
from loa.docformat import charts
from loa.docformat.convert import docx_to_pdf
from loa.docformat.docx import render_docx
from loa.docformat.layout import Block, Heading, Image, Paragraph, PartyDocument, Table
from loa.pipeline.tones import TONE_NAMES
from loa.reports.letterhead import layout_letterhead, margins, recipients_of, signature_of
from loa.reports.models import Report
from loa.reports.periods import ROMAN

CHART_WIDTH_MM = 150


def chart_png(chart: dict[str, Any]) -> bytes:
    if chart["kind"] == "lines":
        return charts.lines(
            chart["labels"], chart["series"], title=chart["title"], incomplete=chart.get("incomplete", [])
        )
    if chart["kind"] == "tone":
        return charts.tone_over_time(
            chart["labels"],
            chart["series"],
            title=chart["title"],
            names={tone: tone_label(tone, language="vi") for tone in TONE_NAMES},
        )
    return charts.horizontal_bars(chart["labels"], chart["values"], title=chart["title"], unit=chart.get("unit", ""))


def _paragraphs(text: str) -> list[Block]:
    return [Paragraph(line.strip()) for line in text.splitlines() if line.strip()]


def report_document(report: Report) -> PartyDocument:
    blocks: list[Block] = []
    parts: list[tuple[str, list[Block]]] = []
    figure_number = 0
    for section in report.figures.get("sections", []):
        body: list[Block] = [Paragraph(text) for text in section["paragraphs"]]
        for chart in section["charts"]:
            figure_number += 1
            body.append(Image(chart_png(chart), CHART_WIDTH_MM, f"Biểu đồ {figure_number}. {chart['title']}"))
        for table in section["tables"]:
            if table["rows"]:
                body.append(Paragraph(table["title"], italic=True))
                body.append(Table(table["header"], table["rows"]))
        parts.append((section["title"], body))
    if report.assessment:
        parts.append(("NHẬN XÉT, ĐÁNH GIÁ", _paragraphs(report.assessment)))
    if report.directions:
        parts.append(("PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", _paragraphs(report.directions)))
    for index, (title, body) in enumerate(parts):
        blocks.append(Heading(f"{ROMAN[index] if index < len(ROMAN) else index + 1}. {title}"))
        blocks.extend(body)
    return PartyDocument(
        letterhead=layout_letterhead(report.letterhead),
        date=report.issued_on or timezone.localdate(),
        doc_type="Báo cáo",
        summary=report.summary,
        symbol=report.symbol,
        blocks=blocks,
        signature=signature_of(report.letterhead),
        recipients=recipients_of(report.letterhead),
        margins=margins(),
    )


def document_bytes(document: PartyDocument, fmt: str) -> bytes:
    """The document as DOCX or PDF (PDF through LibreOffice)."""
    docx = render_docx(document)
    if fmt == "docx":
        return docx
    if fmt == "pdf":
        return docx_to_pdf(docx, timeout=settings.LOA_PDF_TIMEOUT_SECONDS)
    raise ValueError(f"unknown document format {fmt!r}")
