"""The press review as a party document (DOCX, PDF) and as the HTML page its e-mail carries,
on the letterhead shared with reports (loa.reports.letterhead). Always in Vietnamese: it goes
to the leaders as an official paper."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from loa.analysis.models import Sentiment, tone_label
from loa.digests.models import Digest, DigestItem, DigestProfile
from loa.digests.selectors import SectionView, digest_sections
from loa.docformat.layout import Heading, Item, Paragraph, PartyDocument, Signature, recipient_lines
from loa.reports.letterhead import layout_letterhead, letterhead_of, margins, recipients_of, signature_of, unit_layout
from loa.reports.models import Letterhead as LetterheadRecord
from loa.text.folding import fold


def _meta(item: DigestItem) -> str:
    when = timezone.localtime(item.published_at).strftime("%H:%M %d/%m/%Y") if item.published_at else ""
    return " · ".join(part for part in (item.outlets, when, tone_label(item.sentiment, language="vi")) if part)


def _coverage_line(digest: Digest, sections: list[SectionView]) -> str:
    """The period and how many items, and negative ones, the review shows."""
    items = [item for view in sections for item in view.items]
    negative = sum(1 for item in items if item.sentiment == Sentiment.NEGATIVE)
    start = timezone.localtime(digest.period_start)
    end = timezone.localtime(digest.period_end)
    return (
        f"Từ {start:%H:%M} ngày {start:%d/%m/%Y} đến {end:%H:%M} ngày {end:%d/%m/%Y}: "
        f"{len(items)} tin, bài đáng chú ý, trong đó {negative} tin, bài tiêu cực."
    )


def _letterhead_of(profile: DigestProfile) -> LetterheadRecord | None:
    """The profile's letterhead, else the unit's own if it has one (read, never created here)."""
    if profile.letterhead is not None:
        return profile.letterhead
    return letterhead_of(profile.unit)


def digest_signature(profile: DigestProfile) -> Signature:
    """Who signs the review: the profile's own signer when it names one (a position or a name),
    else the letterhead's, as on the unit's reports."""
    if profile.signer_name.strip() or profile.signer_position.strip():
        return Signature(
            mode=profile.signature_mode,
            body=profile.signature_body,
            position=profile.signer_position,
            name=profile.signer_name,
        )
    letterhead = _letterhead_of(profile)
    return signature_of(letterhead) if letterhead is not None else Signature()


def digest_distribution(profile: DigestProfile) -> list[str]:
    """ "Nơi nhận": the profile's list, else the letterhead's; it always ends with where the
    issuer files its copy ("Lưu VT, BTGDV"), added when the list has none."""
    lines = [line.strip().lstrip("-–•").strip() for line in profile.distribution.splitlines()]
    lines = [line for line in lines if line]
    letterhead = _letterhead_of(profile)
    if not lines and letterhead is not None:
        lines = recipients_of(letterhead)
    if not any(fold(line).startswith("luu") for line in lines):
        symbol = letterhead.symbol if letterhead is not None else (profile.unit.symbol or profile.unit.code.upper())
        lines.append(f"Lưu VT, {symbol}" if symbol else "Lưu VT")
    return lines


def _document_head(digest: Digest) -> PartyDocument:
    """The review as a party document without its body: letterhead, date line, type, summary,
    and its closing (Nơi nhận, the signer)."""
    profile = digest.profile
    letterhead = layout_letterhead(profile.letterhead) if profile.letterhead else unit_layout(profile.unit)
    return PartyDocument(
        letterhead=letterhead,
        date=digest.day,
        doc_type="Điểm báo",
        summary=f"ngày {digest.day:%d/%m/%Y}",
        margins=margins(),
        title=f"Điểm báo ngày {digest.day:%d/%m/%Y}",
        signature=digest_signature(profile),
        recipients=digest_distribution(profile),
    )


def digest_document(digest: Digest) -> PartyDocument:
    sections = digest_sections(digest)
    document = _document_head(digest)
    document.blocks.append(Paragraph(_coverage_line(digest, sections), italic=True))
    if digest.introduction:
        document.blocks.extend(Paragraph(line) for line in digest.introduction.splitlines() if line.strip())
    number = 0
    for index, view in enumerate(sections, start=1):
        document.blocks.append(Heading(f"{index}. {view.section.title}"))
        for item in view.items:
            number += 1
            document.blocks.append(
                Item(
                    number=number,
                    title=item.title,
                    url=item.url,
                    meta=_meta(item),
                    lead=item.lead,
                    comment=item.comment,
                    negative=item.sentiment == Sentiment.NEGATIVE,
                )
            )
    return document


def digest_context(digest: Digest) -> dict[str, Any]:
    sections = digest_sections(digest)
    number = 0
    numbered = []
    for view in sections:
        rows = []
        for item in view.items:
            number += 1
            rows.append({"number": number, "item": item, "meta": _meta(item)})
        numbered.append({"title": view.section.title, "rows": rows})
    document = _document_head(digest)
    return {
        "digest": digest,
        "document": document,
        "coverage_line": _coverage_line(digest, sections),
        "sections": numbered,
        "site_url": settings.LOA_SITE_URL.rstrip("/"),
        "closing_recipients": recipient_lines(document.recipients),
    }


def render_official(template: str, context: dict[str, Any]) -> str:
    # In Vietnamese whatever the sender's language: it goes to the leaders as an official paper.
    with translation.override("vi"):
        return render_to_string(template, context)


def digest_html(digest: Digest) -> str:
    """The review as a self-contained HTML page (the e-mail's body and `--format html`)."""
    return render_official("digests/digest_email.html", digest_context(digest))
