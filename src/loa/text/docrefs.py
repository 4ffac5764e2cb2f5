"""Document numbers and symbols (số, ký hiệu) in party and state notation, and the
references to documents found in running text.

Party (Hướng dẫn 36-HD/VPTW): `60-KL/ĐUK`, `08-QĐi/TW`, `04 - CT/ĐUK`, joint issuers
`01-HD/BTCTW-UBKTTW`. State (Nghị định 30/2020/NĐ-CP): `30/2020/NĐ-CP`, `135/QĐ-TTg`,
`1273/BTTTT-TTCS`, laws `91/2025/QH15`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any

from loa.text.dates import find_dates
from loa.text.folding import fold_chars
from loa.text.normalization import aligned

# Party document types (RULES.md); "QĐ" meant "quy định" too before 2018, so a type
# name written in the text wins over the abbreviation.
PARTY_TYPES = {
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",
    "QC": "Quy chế",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "TT": "Thông tri",
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "TTr": "Tờ trình",
    "ĐA": "Đề án",
    "CV": "Công văn",
    "BB": "Biên bản",
}
STATE_TYPES = {
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "QĐ": "Quyết định",
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "KH": "Kế hoạch",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "TTr": "Tờ trình",
    "HD": "Hướng dẫn",
    "CV": "Công văn",
    "GM": "Giấy mời",
    "QC": "Quy chế",
    "ĐA": "Đề án",
    "CTr": "Chương trình",
    "NQLT": "Nghị quyết liên tịch",
    "L": "Luật",
    "PL": "Pháp lệnh",
    "BB": "Biên bản",
}
# Type names as they are written before a number, longest first so "Quy định" does not
# stop at "Quy".
TYPE_NAMES = sorted(
    {
        *PARTY_TYPES.values(),
        *STATE_TYPES.values(),
        "Thông báo kết luận",
        "Luật",
        "Công điện",
        "Văn bản",
    },
    key=len,
    reverse=True,
)

_DASH = r"\s?[-–—‐]\s?"
_CODE = r"[A-ZĐ][A-Za-zĐđ]{0,5}\d{0,2}"
_ISSUER = rf"{_CODE}(?:{_DASH}{_CODE})*"
_PARTY = re.compile(rf"(?<![\w/])(\d{{1,5}}){_DASH}([A-ZĐ][A-Za-zĐđ]{{0,4}})\s?/\s?({_ISSUER})(?![\w])")
_STATE_LEGAL = re.compile(rf"(?<![\w/])(\d{{1,5}})/(\d{{4}})/(?:([A-ZĐ][A-Za-zĐ]{{0,4}})-)?({_ISSUER})(?![\w])")
_STATE = re.compile(rf"(?<![\w/])(\d{{1,5}})/({_CODE})-({_ISSUER})(?![\w/])")
_TYPE_BEFORE = re.compile(
    r"(" + "|".join(re.escape(fold_chars(name)) for name in TYPE_NAMES) + r")(?:\s+(?:so|so hieu))?\s*:?\s*$"
)
_OF = re.compile(r"\s*,?\s*cua\s+")


@dataclass(frozen=True)
class DocumentReference:
    symbol: str
    number: str
    type: str | None
    type_code: str | None
    issuer: str
    notation: str  # "party" or "state"
    date: dt.date | None
    start: int
    end: int
    year: int | None = None
    issuer_name: str | None = None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


@dataclass(frozen=True)
class Symbol:
    number: str
    type_code: str | None
    issuer: str
    notation: str
    year: int | None = None

    @property
    def text(self) -> str:
        if self.notation == "party":
            return f"{self.number}-{self.type_code}/{self.issuer}"
        head = f"{self.number}/{self.year}/" if self.year else f"{self.number}/"
        if self.year and self.type_code is None:
            return f"{head}{self.issuer}"
        return f"{head}{self.type_code}-{self.issuer}" if self.type_code else f"{head}{self.issuer}"


def _squeeze(issuer: str) -> str:
    return re.sub(_DASH, "-", issuer)


def parse_symbol(text: str) -> Symbol | None:
    """Parse one document symbol written alone ("04 - CT/ĐUK" → 04-CT/ĐUK)."""
    candidate = aligned(text.strip()).text
    for finder in (_find_party, _find_state):
        found = finder(candidate)
        if found and found[0][1] == 0 and found[0][2] == len(candidate):
            return found[0][0]
    return None


def _find_party(text: str) -> list[tuple[Symbol, int, int]]:
    out = []
    for match in _PARTY.finditer(text):
        number, code, issuer = match.groups()
        if code not in PARTY_TYPES and code.upper() not in {c.upper() for c in PARTY_TYPES}:
            continue
        code = next(
            (c for c in PARTY_TYPES if c == code),
            next(c for c in PARTY_TYPES if c.upper() == code.upper()),
        )
        out.append(
            (
                Symbol(number=number, type_code=code, issuer=_squeeze(issuer), notation="party"),
                *match.span(),
            )
        )
    return out


def _find_state(text: str) -> list[tuple[Symbol, int, int]]:
    out = []
    for match in _STATE_LEGAL.finditer(text):
        number, year, code, issuer = match.groups()
        if code is not None and code not in STATE_TYPES:
            continue
        if code is None and not re.fullmatch(r"QH\d{1,2}|UBTVQH\d{1,2}|[A-ZĐ]{2,}(?:-[A-ZĐ]{2,})*", _squeeze(issuer)):
            continue
        symbol = Symbol(number=number, type_code=code, issuer=_squeeze(issuer), notation="state", year=int(year))
        out.append((symbol, *match.span()))
    for match in _STATE.finditer(text):
        number, head, issuer = match.groups()
        if head in STATE_TYPES:
            symbol = Symbol(number=number, type_code=head, issuer=_squeeze(issuer), notation="state")
        else:
            # Official letters (công văn) carry no type: issuer-drafting unit, "1273/BTTTT-TTCS".
            symbol = Symbol(number=number, type_code=None, issuer=_squeeze(f"{head}-{issuer}"), notation="state")
        out.append((symbol, *match.span()))
    return out


def _type_name_before(folded: str, start: int) -> tuple[str, int] | None:
    window_start = max(0, start - 40)
    match = _TYPE_BEFORE.search(folded[window_start:start])
    if not match:
        return None
    folded_name = match.group(1)
    name = next(n for n in TYPE_NAMES if fold_chars(n) == folded_name)
    return name, window_start + match.start()


def _date_after(text: str, folded: str, end: int) -> tuple[dt.date, int] | None:
    tail = folded[end : end + 60]
    lead = re.match(r"\s*,?\s*(?:\(|ban hanh\s+|ky\s+)?(?=ngay\b)", tail)
    if not lead:
        return None
    dates = find_dates(text[end + lead.end() : end + 60])
    if not dates or dates[0].start != 0 or dates[0].precision != "day":
        return None
    return dates[0].value, end + lead.end() + dates[0].end


# Words that end a body's name: what follows is the document's subject or the sentence.
_FUNCTION_WORDS = frozenset(
    "về với nhằm để tại theo ngày trong đối cho trên dưới là đã được nay gắn và của".split()  # noqa: SIM905
)
_TYPE_NAME_START = re.compile("|".join(re.escape(fold_chars(name)) for name in TYPE_NAMES))


def _starts_type_name(words: list[str]) -> bool:
    return bool(_TYPE_NAME_START.match(fold_chars(" ".join(words[:4]))))


def _issuer_name_after(view_text: str, folded: str, end: int) -> str | None:
    """The body named after "của": capitalised words, each possibly followed by one
    lower-case syllable of the same compound ("Ban Chấp hành Trung ương", "Bộ Chính trị"),
    "và" only between two capitalised parts ("Bộ Thông tin và Truyền thông")."""
    of = _OF.match(folded, end)
    if not of:
        return None
    words = re.findall(r"[^\s,.;:“”\"()\[\]–—]+|[,.;:“”\"()\[\]–—]", view_text[of.end() : of.end() + 120])
    taken: list[str] = []
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word[0].isupper() or (
            word == "và" and taken and following[:1].isupper() and not _starts_type_name(words[index + 1 :])
        ):
            taken.append(word)
        elif word in _FUNCTION_WORDS:
            break
        elif word[0].isalpha() and taken and taken[-1][0].isupper() and taken[-1] != "và":
            taken.append(word)
        else:
            break
    return " ".join(taken) or None


def find_references(text: str) -> list[DocumentReference]:
    """Every document reference in `text`, in order, with offsets into `text` as given."""
    view = aligned(text)
    folded = fold_chars(view.text)
    found = _find_party(view.text) + _find_state(view.text)
    found.sort(key=lambda item: (item[1], -item[2]))
    refs: list[DocumentReference] = []
    taken_until = -1
    for symbol, start, end in found:
        if start < taken_until:
            continue
        taken_until = end
        named = _type_name_before(folded, start)
        kind = named[0] if named else None
        span_start = named[1] if named else start
        if kind is None and symbol.type_code:
            kind = (PARTY_TYPES if symbol.notation == "party" else STATE_TYPES).get(symbol.type_code)
        dated = _date_after(view.text, folded, end)
        after = dated[1] if dated else end
        o_start, o_end = view.original_span(span_start, end)
        refs.append(
            DocumentReference(
                symbol=symbol.text,
                number=symbol.number,
                type=kind,
                type_code=symbol.type_code,
                issuer=symbol.issuer,
                notation=symbol.notation,
                date=dated[0] if dated else None,
                start=o_start,
                end=o_end,
                year=symbol.year or (dated[0].year if dated else None),
                issuer_name=_issuer_name_after(view.text, folded, after),
            )
        )
    return refs
