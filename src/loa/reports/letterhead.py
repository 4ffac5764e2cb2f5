"""The one letterhead of party documents: reports, the press review and opinion syntheses all
take their header (superior, issuer, place), their page margins, their signer and their "Nơi
nhận" from here, so the three cannot drift apart. The layout itself (quốc hiệu, number, date
line, closing table) is drawn by loa.docformat from the plain values returned here."""

from __future__ import annotations

from django.conf import settings

from loa.docformat.layout import Letterhead as LetterheadLayout
from loa.docformat.layout import Margins, Signature
from loa.reports.models import Letterhead
from loa.units.models import Unit


def margins() -> Margins:
    return Margins.parse(settings.LOA_DOCUMENT_MARGINS_MM)


def letterhead_draft(*, unit: Unit) -> Letterhead:
    """An unsaved first letterhead drawn from the unit tree: parent above, short name, symbol."""
    return Letterhead(
        unit=unit,
        superior=unit.parent.name.upper() if unit.parent else "",
        issuer=(unit.short_name or unit.name).upper(),
        symbol=unit.symbol or unit.code.upper(),
        term_start=unit.valid_from,
    )


def letterhead_of(unit: Unit) -> Letterhead | None:
    """The unit's own letterhead if it has one (read, never created here)."""
    return Letterhead.objects.filter(unit=unit).first()


def unit_layout(unit: Unit) -> LetterheadLayout:
    """The header of a document issued by a unit without a chosen letterhead: its short name
    under its parent's name."""
    return LetterheadLayout(issuer=unit.short_name.upper(), superior=unit.parent.name.upper() if unit.parent else "")


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
