"""Writes of letterheads, document numbers and periodic reports; their documents (DOCX, PDF)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import acting_user, require
from loa.analysis.models import tone_label
from loa.docformat import charts
from loa.docformat.convert import docx_to_pdf
from loa.docformat.docx import render_docx
from loa.docformat.layout import (
    Block,
    Heading,
    Image,
    Margins,
    Paragraph,
    PartyDocument,
    Signature,
    Table,
)
from loa.docformat.layout import (
    Letterhead as LetterheadLayout,
)
from loa.pipeline.tones import TONE_NAMES
from loa.reports.models import DocumentCounter, Letterhead, Report, ReportStatus
from loa.reports.periods import ROMAN, Period, PeriodError, parse_period
from loa.reports.sections import ReportScope, collect
from loa.units.models import Unit

REPORT_TYPE = "BC"
CHART_WIDTH_MM = 150


def margins() -> Margins:
    return Margins.parse(settings.LOA_DOCUMENT_MARGINS_MM)


# --- letterheads and numbers --------------------------------------------------------------------


def letterhead_draft(*, unit: Unit) -> Letterhead:
    """An unsaved first letterhead drawn from the unit tree: parent above, short name, symbol."""
    return Letterhead(
        unit=unit,
        superior=unit.parent.name.upper() if unit.parent else "",
        issuer=(unit.short_name or unit.name).upper(),
        symbol=unit.symbol or unit.code.upper(),
        term_start=unit.valid_from,
    )


def letterhead_ensure(*, unit: Unit) -> Letterhead:
    """The unit's letterhead; a first one is drawn from the unit tree (parent above, the unit's
    short name, its symbol) for staff to correct."""
    existing = Letterhead.objects.filter(unit=unit).first()
    if existing is not None:
        return existing
    letterhead = letterhead_draft(unit=unit)
    letterhead.full_clean()
    try:
        with transaction.atomic():
            letterhead.save()
    except IntegrityError:  # made meanwhile by another request
        return Letterhead.objects.get(unit=unit)
    return letterhead


def letterhead_save(*, user: object, letterhead: Letterhead, **fields: Any) -> Letterhead:
    require(user, roles.WRITE, letterhead.unit)
    for name, value in fields.items():
        setattr(letterhead, name, value.strip() if isinstance(value, str) else value)
    letterhead.full_clean()
    letterhead.save()
    return letterhead


def _counter_key(letterhead: Letterhead, doc_type: str) -> dict[str, Any]:
    return {"symbol": letterhead.symbol, "doc_type": doc_type, "term_start": letterhead.term_start}


def _number_after(last_number: int) -> int:
    """The one rule for the next number: the preview and the issue both follow it."""
    return last_number + 1


def document_number_next(*, letterhead: Letterhead, doc_type: str) -> int:
    """The next number of `doc_type` for the issuer in its current term. Runs in the caller's
    transaction; the row lock makes two issuers of the same type wait for each other."""
    counter, _created = DocumentCounter.objects.get_or_create(**_counter_key(letterhead, doc_type))
    counter = DocumentCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number = _number_after(counter.last_number)
    counter.save(update_fields=["last_number"])
    return counter.last_number


def document_number_peek(*, letterhead: Letterhead, doc_type: str) -> int:
    """The number `document_number_next` would give now, without taking it (nothing is written):
    what a confirmation page shows before a document is issued."""
    last = DocumentCounter.objects.filter(**_counter_key(letterhead, doc_type)).values_list("last_number", flat=True)
    return _number_after(last.first() or 0)


# --- reports ------------------------------------------------------------------------------------


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise ValidationError(str(exc)) from None


def report_prepare(
    *, user: object, unit: Unit, letterhead: Letterhead, period: str, now: dt.datetime | None = None
) -> Report:
    """A draft report of `unit` for `period` with its figures taken now."""
    require(user, roles.WRITE, unit)
    require(user, roles.WRITE, letterhead.unit)
    span = _period(period)
    now = now or timezone.now()
    if span.start > timezone.localdate(now):
        raise ValidationError(_("The period has not begun yet."))
    report = Report(
        unit=unit,
        letterhead=letterhead,
        kind=span.kind,
        period_start=span.start,
        period_end=span.end,
        label=span.label,
        summary=f"Tình hình thông tin, tuyên truyền {span.label}",
        figures={"sections": collect(ReportScope(unit=unit, period=span))},
        prepared_at=now,
        created_by=acting_user(user),
    )
    report.full_clean()
    report.save()
    return report


def report_period(report: Report) -> Period:
    return Period(kind=report.kind, start=report.period_start, end=report.period_end, label=report.label)


def report_refresh(*, user: object, report: Report, now: dt.datetime | None = None) -> Report:
    _editable(user, report)
    report.figures = {"sections": collect(ReportScope(unit=report.unit, period=report_period(report)))}
    report.prepared_at = now or timezone.now()
    report.save(update_fields=["figures", "prepared_at", "updated_at"])
    return report


def _editable(user: object, report: Report) -> None:
    require(user, roles.WRITE, report.unit)
    if report.status == ReportStatus.ISSUED:
        raise ValidationError(_("An issued report is not changed any more."))


def report_update(*, user: object, report: Report, summary: str, assessment: str, directions: str) -> Report:
    _editable(user, report)
    if not summary.strip():
        raise ValidationError(_("A report needs a summary line."))
    report.summary, report.assessment, report.directions = summary.strip(), assessment.strip(), directions.strip()
    report.full_clean()
    report.save(update_fields=["summary", "assessment", "directions", "updated_at"])
    return report


def report_symbol(*, number: int, letterhead: Letterhead) -> str:
    return f"{number}-{REPORT_TYPE}/{letterhead.symbol}"


def report_issue_preview(*, user: object, report: Report) -> str:
    """The number and symbol the report would take if issued now ("3-BC/BTGDV"), for the leader
    to confirm; nothing is taken. Refuses, as issuing would, an issued report or a non-approver."""
    require(user, roles.APPROVE, report.unit)
    if report.status == ReportStatus.ISSUED:
        raise ValidationError(_("This report has already been issued as %(symbol)s.") % {"symbol": report.symbol})
    number = document_number_peek(letterhead=report.letterhead, doc_type=REPORT_TYPE)
    return report_symbol(number=number, letterhead=report.letterhead)


class NumberChanged(ValidationError):
    """Another document took the number the leader confirmed; nothing was issued."""

    def __init__(self, *, confirmed: str, now: str) -> None:
        super().__init__(
            _("Number %(confirmed)s has been taken by another document meanwhile; this report would now be %(now)s.")
            % {"confirmed": confirmed, "now": now}
        )
        self.confirmed, self.now = confirmed, now


@transaction.atomic
def report_issue(
    *, user: object, report: Report, day: dt.date | None = None, expected_symbol: str | None = None
) -> Report:
    """Gives the report its number (per type, for the issuer's term) and its date; approving
    leaders issue. With `expected_symbol` (what the confirmation page showed), a different
    number is refused with `NumberChanged` instead of being taken silently."""
    report = Report.objects.select_for_update().select_related("letterhead").get(pk=report.pk)
    require(user, roles.APPROVE, report.unit)
    if report.status == ReportStatus.ISSUED:
        raise ValidationError(_("This report has already been issued as %(symbol)s.") % {"symbol": report.symbol})
    report.number = document_number_next(letterhead=report.letterhead, doc_type=REPORT_TYPE)
    report.symbol = report_symbol(number=report.number, letterhead=report.letterhead)
    if expected_symbol is not None and expected_symbol != report.symbol:
        # Raising rolls the counter back with the rest of the transaction.
        raise NumberChanged(confirmed=expected_symbol, now=report.symbol)
    report.issued_on = day or timezone.localdate()
    report.status = ReportStatus.ISSUED
    report.save(update_fields=["number", "symbol", "issued_on", "status", "updated_at"])
    return report


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


def layout_letterhead(letterhead: Letterhead) -> LetterheadLayout:
    return LetterheadLayout(issuer=letterhead.issuer, superior=letterhead.superior, place=letterhead.place)


def signature_of(letterhead: Letterhead) -> Signature:
    return Signature(
        mode=letterhead.signature_mode,
        body=letterhead.signature_body,
        position=letterhead.signer_position,
        name=letterhead.signer_name,
    )


def recipients_of(letterhead: Letterhead) -> list[str]:
    return [line.strip() for line in letterhead.recipients.splitlines() if line.strip()]


def document_bytes(document: PartyDocument, fmt: str) -> bytes:
    """The document as DOCX or PDF (PDF through LibreOffice)."""
    docx = render_docx(document)
    if fmt == "docx":
        return docx
    if fmt == "pdf":
        return docx_to_pdf(docx, timeout=settings.LOA_PDF_TIMEOUT_SECONDS)
    raise ValueError(f"unknown document format {fmt!r}")
