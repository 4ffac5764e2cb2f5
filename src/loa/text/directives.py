"""Reading a directive (chỉ thị, nghị quyết, kết luận…) out of its text: its own number and
symbol, date, issuing body, signer, title, the documents it cites and its numbered tasks with
the bodies each is addressed to.

Two shapes are read: the document as issued (header, "Số 60-KL/ĐUK", "Hà Nội, ngày 31 tháng 8
năm 2021", type and summary, numbered body, "T/M BAN THƯỜNG VỤ", position, name), and the way
the bloc's magazine republishes it ("Ngày 31/8/2021, thay mặt Ban Thường vụ …, đồng chí
Nguyễn Long Hải – Bí thư Đảng ủy Khối đã ký ban hành Kết luận số 60-KL/ĐUK về …", then the full
text). What cannot be read is left empty for the correction form, never guessed.

Plain Python, no Django.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from loa.text.dates import find_dates
from loa.text.docrefs import PARTY_TYPES, STATE_TYPES, DocumentReference, find_references, parse_symbol
from loa.text.folding import fold
from loa.text.normalization import normalize

# Lines a web page adds around the text it republishes.
_BOILERPLATE = re.compile(r"^(share on \w+|show buttons|hide buttons|chia sẻ|in bài|bình luận)\b", re.I)
_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.)]\s+(\S.*)$")
_SUBITEM = re.compile(r"^\s*(?:[-–—+•]|[a-zđ]\))\s*([^-–—\s].*)$")
RULE = "-----"
_SYMBOL_LINE = re.compile(r"^\s*Số\s*:?\s*(\S+(?:\s?[-–]\s?\S+)?)\s*$")
_PLACE_DATE = re.compile(r"^\s*[^\d,]{2,40},\s*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}\s*$", re.I)
_SIGNED_NEWS = re.compile(
    r"(?:thay mặt\s+(?P<body>[^,]+?),\s*)?đồng chí\s+(?P<name>[^–\-,]+?)\s*[–\-,]\s*(?P<position>.+?)\s+"
    r"(?:đã\s+)?ký\s+ban\s+hành",
    re.I,
)
_SIGNATURE_MODE = re.compile(r"^\s*(T/M|K/T|T/L|TM\.|KT\.|TL\.)\s+(.+)$")
_NAME = re.compile(r"^(?:[A-ZĐ][a-zà-ỹđ]+)(?:\s+[A-ZĐ][a-zà-ỹđ]+){1,4}$")
# Verbs that end the subject of an assignment ("Ban Tuyên giáo Đảng ủy Khối xây dựng …"). Not
# "tổ chức", which is as often the noun ("tổ chức đảng") as the verb.
_VERBS = (
    "lãnh đạo",
    "chỉ đạo",
    "tiếp tục",
    "xây dựng",
    "chủ trì",
    "phối hợp",
    "tham mưu",
    "triển khai",
    "có trách nhiệm",
    "thực hiện",
    "theo dõi",
    "quán triệt",
    "đẩy mạnh",
    "hướng dẫn",
    "căn cứ",
    "chịu trách nhiệm",
)
_VERB = re.compile(r"\s(" + "|".join(re.escape(fold(verb)) for verb in _VERBS) + r")\b")
_ADDRESSEES = re.compile(
    r"(?:yêu cầu|đề nghị|giao)\s+(?P<who>.+?)\s+(?:thực hiện(?: tốt)?|tập trung thực hiện|làm tốt)\s+"
    r"(?:các|những)\s+(?:nhiệm vụ|nội dung|giải pháp)",
    re.I,
)
TYPE_NAMES = {**STATE_TYPES, **PARTY_TYPES}


@dataclass
class TaskItem:
    number: str
    text: str
    bodies: list[str] = field(default_factory=list)
    subitems: list[TaskItem] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """The item's first sentence, as a short name for lists."""
        first = re.split(r"(?<=[.;:])\s", self.text, maxsplit=1)[0]
        return first if len(first) <= 200 else first[:197].rsplit(" ", 1)[0] + "…"


@dataclass
class ParsedDirective:
    text: str
    symbol: str = ""
    type_code: str = ""
    type_name: str = ""
    number: str = ""
    issuer_code: str = ""
    issuer_name: str = ""
    date: dt.date | None = None
    signer: str = ""
    signer_position: str = ""
    title: str = ""
    references: list[DocumentReference] = field(default_factory=list)
    items: list[TaskItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    """Paragraphs, one per line. Text from a PDF breaks paragraphs at the page's width: a line
    that starts in lower case continues the one before unless that one ended a sentence or is
    a heading in capitals ("KẾT LUẬN" above its summary)."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        # The dashes under the summary end it; PDF text may glue them to the next paragraph.
        dashes = re.match(r"^[-–—_]{3,}\s*", line)
        if dashes:
            out.append(RULE)
            line = line[dashes.end() :]
        if not line or _BOILERPLATE.match(line):
            continue
        # "…với Ban Thường vụ Đảng ủy Khối.Show Buttons": a button label glued to the last line.
        line = re.sub(r"(?<=[.!?…])(?:Show|Hide) Buttons$", "", line).strip()
        joins = out and out[-1] != RULE and not out[-1].isupper() and not out[-1].endswith((".", ":", ";", "!", "?"))
        if joins and line[0].islower():
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def parse_directive(text: str) -> ParsedDirective:
    text = normalize(text)
    lines = _lines(text)
    result = ParsedDirective(text="\n".join(lines))
    references = find_references(result.text)
    own = _own_symbol(lines, references, result)
    if own is not None:
        parsed = parse_symbol(own)
        if parsed is not None:
            result.symbol = parsed.text
            result.number = parsed.number
            result.type_code = parsed.type_code or ""
            result.issuer_code = parsed.issuer
            table = PARTY_TYPES if parsed.notation == "party" else STATE_TYPES
            result.type_name = table.get(result.type_code, "")
    if not result.symbol:
        result.warnings.append("number and symbol not found")
    result.references = _cited(references, result.symbol)
    _signature(lines, result)
    _date(lines, references, result)
    _title(lines, result)
    result.items = _items(lines)
    if not result.items:
        result.warnings.append("no numbered task items found")
    return result


def _own_symbol(lines: list[str], references: list[DocumentReference], result: ParsedDirective) -> str | None:
    for line in lines[:15]:
        match = _SYMBOL_LINE.match(line)
        if match and parse_symbol(match.group(1)):
            return match.group(1)
    for line in lines:
        match = re.search(r"ký\s+ban\s+hành\s+(.{0,40}?)\bsố\s+(\S+)", line, re.I)
        if match and parse_symbol(match.group(2).rstrip(",.;")):
            return match.group(2).rstrip(",.;")
    # A headline starting with the type ("Kết luận của …"): the first reference of that type.
    head = fold(lines[0]) if lines else ""
    for code, name in TYPE_NAMES.items():
        if head.startswith(fold(name) + " "):
            for reference in references:
                if reference.type_code == code:
                    return reference.symbol
    return None


def _cited(references: list[DocumentReference], own: str) -> list[DocumentReference]:
    """Each cited document once, with the fullest details any mention of it gave."""
    best: dict[str, DocumentReference] = {}
    for reference in references:
        if reference.symbol == own:
            continue
        known = best.get(reference.symbol)
        if known is None or (known.date is None and reference.date is not None):
            best[reference.symbol] = reference
    return sorted(best.values(), key=lambda reference: reference.start)


def _signature(lines: list[str], result: ParsedDirective) -> None:
    for line in lines[:12]:
        match = _SIGNED_NEWS.search(line)
        if match:
            result.signer = match.group("name").strip()
            result.signer_position = match.group("position").strip(" ,–-")
            if match.group("body"):
                result.issuer_name = match.group("body").strip()
            return
    # The document as issued: the signature block is near the end, its last name-like line.
    for index in range(len(lines) - 1, max(-1, len(lines) - 25), -1):
        mode = _SIGNATURE_MODE.match(lines[index])
        if mode:
            result.issuer_name = result.issuer_name or mode.group(2).strip().capitalize()
            following = lines[index + 1 : index + 6]
            names = [line for line in following if _NAME.match(line)]
            positions = [line for line in following if line.isupper() and not _NAME.match(line)]
            if names:
                result.signer = names[0]
            if positions:
                result.signer_position = positions[0].capitalize()
            return
    result.warnings.append("signer not found")


def _date(lines: list[str], references: list[DocumentReference], result: ParsedDirective) -> None:
    for line in lines[:15]:
        if _PLACE_DATE.match(line):
            found = find_dates(line)
            if found:
                result.date = found[0].value
                return
    for line in lines[:12]:
        if re.search(r"ký\s+ban\s+hành", line, re.I):
            found = [match for match in find_dates(line) if match.precision == "day"]
            if found:
                result.date = found[0].value
                return
    for reference in references:
        if reference.symbol == result.symbol and reference.date:
            result.date = reference.date
            return
    result.warnings.append("date not found")


def _title(lines: list[str], result: ParsedDirective) -> None:
    """The summary (trích yếu): in a republished text the headline, from its "về"; in the
    document as issued the line(s) under the type."""
    if not lines:
        return
    type_name = fold(result.type_name) if result.type_name else ""
    for index, line in enumerate(lines[:20]):
        if type_name and fold(line) == type_name:
            following = []
            for part in lines[index + 1 : index + 4]:
                if part == RULE:
                    break
                following.append(part)
            result.title = " ".join(following).strip()
            if result.title:
                return
    headline = lines[0]
    at = fold(headline).find(" ve ")
    result.title = headline[at + 1 :].strip() if at >= 0 else headline


def _items(lines: list[str]) -> list[TaskItem]:
    """The longest run of top-level items numbered 1, 2, 3…, each with its following paragraphs
    and dashed sub-items, and the bodies it is addressed to."""
    starts: list[tuple[int, int]] = []
    expected = 1
    for index, line in enumerate(lines):
        match = _NUMBERED.match(line)
        if match and int(match.group(1)) == expected:
            starts.append((index, expected))
            expected += 1
        elif match and int(match.group(1)) == 1 and expected > 2:
            # A second list starting again: keep the longer one.
            break
    if not starts:
        return []
    addressees = _addressees(lines[: starts[0][0]])
    items = []
    for position, (index, number) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else _end_of_body(lines, index)
        first = _NUMBERED.match(lines[index])
        assert first is not None
        paragraphs = [first.group(2), *(line for line in lines[index + 1 : end] if line != RULE)]
        item = TaskItem(number=str(number), text="")
        body = []
        for paragraph in paragraphs:
            sub = _SUBITEM.match(paragraph)
            if sub:
                item.subitems.append(TaskItem(number="-", text=sub.group(1), bodies=_subject(sub.group(1))))
            else:
                body.append(paragraph)
        item.text = "\n".join(body)
        bodies = [body for sub in item.subitems for body in sub.bodies]
        item.bodies = list(dict.fromkeys(bodies)) or list(addressees)
        items.append(item)
    return items


def _end_of_body(lines: list[str], start: int) -> int:
    """Where the last item ends: at the signature block or "Nơi nhận", else at the end."""
    for index in range(start + 1, len(lines)):
        if _SIGNATURE_MODE.match(lines[index]) or fold(lines[index]).startswith("noi nhan"):
            return index
    return len(lines)


def _addressees(lines: list[str]) -> list[str]:
    for line in reversed(lines[-3:]):
        match = _ADDRESSEES.search(line)
        if match:
            return _split_bodies(match.group("who"))
    return []


def _subject(sentence: str) -> list[str]:
    """The bodies a sentence assigns work to: its subject, up to the first verb."""
    folded = fold(sentence)
    match = _VERB.search(folded)
    if match is None or match.start() == 0 or match.start() > 200:
        return []
    return _split_bodies(sentence[: match.start()])


def _split_bodies(text: str) -> list[str]:
    parts = re.split(r",\s*|\s+và\s+", text.strip(" ,;:"))
    return [part.strip() for part in parts if len(part.strip()) > 2]
