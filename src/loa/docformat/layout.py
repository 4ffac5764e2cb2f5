"""What a party document is made of (Hướng dẫn 36-HD/VPTW), independent of the file format.

Reports and the daily press review describe themselves with these records; `loa.docformat.docx`
lays them out. Plain Python, no Django: the same records serve the CLI, tasks and tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

PARTY_HEADER = "ĐẢNG CỘNG SẢN VIỆT NAM"
SIGNATURE_MODES = ("", "T/M", "K/T", "T/L")


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres; 36-HD's usual top 20, bottom 20, left 30, right 15."""

    top: float = 20
    bottom: float = 20
    left: float = 30
    right: float = 15

    @classmethod
    def parse(cls, value: str) -> Margins:
        """ "20,20,30,15" (top, bottom, left, right), as the setting writes them."""
        parts = [part.strip() for part in value.split(",")]
        if len(parts) != 4:
            raise ValueError(f"margins need four numbers (top, bottom, left, right), got {value!r}")
        try:
            top, bottom, left, right = (float(part) for part in parts)
        except ValueError as exc:
            raise ValueError(f"margins must be numbers of millimetres, got {value!r}") from exc
        for number in (top, bottom, left, right):
            if not 5 <= number <= 60:
                raise ValueError(f"a margin of {number} mm is outside 5–60 mm")
        return cls(top=top, bottom=bottom, left=left, right=right)


@dataclass(frozen=True)
class Letterhead:
    """The issuing body as printed top left: the superior body, then the issuer, then "*"."""

    issuer: str
    superior: str = ""
    place: str = "Hà Nội"


@dataclass(frozen=True)
class Signature:
    mode: str = ""  # T/M, K/T, T/L or nothing (the head signs in their own name)
    body: str = ""  # whom the signer acts for under T/M, e.g. "BAN THƯỜNG VỤ"
    position: str = ""  # e.g. "PHÓ TRƯỞNG BAN"
    name: str = ""

    def __post_init__(self) -> None:
        if self.mode not in SIGNATURE_MODES:
            raise ValueError(f"unknown signature mode {self.mode!r}; use one of T/M, K/T, T/L or none")

    @property
    def lines(self) -> list[str]:
        """The bold lines above the space for the signature."""
        first = f"{self.mode} {self.body}".strip() if self.mode else ""
        return [line.upper() for line in (first, self.position) if line]


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    italic: bool = False
    bold: bool = False


@dataclass(frozen=True)
class Bullet:
    text: str


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    widths_mm: list[float] | None = None


@dataclass(frozen=True)
class Image:
    png: bytes
    width_mm: float
    caption: str = ""


@dataclass(frozen=True)
class Item:
    """A press item of the daily review: numbered title linking to the article, then its details."""

    number: int
    title: str
    url: str
    meta: str
    lead: str = ""
    comment: str = ""
    negative: bool = False


Block = Heading | Paragraph | Bullet | Table | Image | Item


@dataclass
class PartyDocument:
    letterhead: Letterhead
    date: dt.date
    doc_type: str  # "BÁO CÁO", "ĐIỂM BÁO"
    summary: str = ""
    symbol: str = ""  # "12-BC/BTGDV"; empty for unnumbered papers such as the press review
    blocks: list[Block] = field(default_factory=list)
    signature: Signature | None = None
    recipients: list[str] = field(default_factory=list)
    margins: Margins = field(default_factory=Margins)
    title: str = ""  # the file's title property; the type and summary when empty

    @property
    def number_line(self) -> str:
        return f"Số {self.symbol}" if self.symbol else ""

    @property
    def date_line(self) -> str:
        return date_line(self.letterhead.place, self.date)


def recipient_lines(recipients: list[str]) -> list[str]:
    """The lines under "Nơi nhận:" as 36-HD writes them: each begins with a dash and ends with a
    comma, the last with a full stop."""
    last = len(recipients) - 1
    return [f"- {line.strip().rstrip(',.;')}{'.' if index == last else ','}" for index, line in enumerate(recipients)]


def date_line(place: str, day: dt.date) -> str:
    """ "Hà Nội, ngày 03 tháng 4 năm 2018": days below 10 and the months January and February
    take a leading zero, so that nobody can add a digit by hand afterwards."""
    day_text = f"{day.day:02d}"
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    prefix = f"{place}, " if place else ""
    return f"{prefix}ngày {day_text} tháng {month_text} năm {day.year}"
