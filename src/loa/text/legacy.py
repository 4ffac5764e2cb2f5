"""Vietnamese text typed in the pre-Unicode encodings, repaired into Unicode.

Old documents and some web pages still carry TCVN3 (ABC, the .Vn fonts), VNI (two
bytes per accented letter) or VIQR (ASCII with ^ ( + ' ` ? ~ . marks). Once such text
has been read as Latin-1 or Windows-1252 it looks like "Céng hßa" or "Coäng hoøa".
No library converts these, so the tables live here.

Detection compares the share of valid Vietnamese syllables before and after each
conversion and keeps a conversion only when it clearly wins; ordinary Unicode text,
English and numbers never improve, so they pass through untouched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from itertools import islice

from loa.text.syllables import canonical, is_valid

# TCVN3 (TCVN 5712:1993, VN3): lower-case letters in the upper half of a Latin-1 byte.
# Capitals were drawn by separate "H" fonts from the same codes, so case is repaired
# from the surrounding ASCII capitals after conversion.
_TCVN3_PAIRS = (
    "¡Ă ¢Â £Ê ¤Ô ¥Ơ ¦Ư §Đ ¨ă ©â ªê «ô ¬ơ \u00adư ®đ "
    "µà ¶ả ·ã ¸á ¹ạ »ằ ¼ẳ ½ẵ ¾ắ Æặ Çầ Èẩ Éẫ Êấ Ëậ "
    "Ìè Îẻ Ïẽ Ðé Ñẹ Òề Óể Ôễ Õế Öệ ×ì Øỉ Üĩ Ýí Þị "
    "ßò áỏ âõ ãó äọ åồ æổ çỗ èố éộ êờ ëở ìỡ íớ îợ "
    "ïù ñủ òũ óú ôụ õừ öử ÷ữ øứ ùự úỳ ûỷ üỹ ýý þỵ"
)
TCVN3 = {pair[0]: pair[1] for pair in _TCVN3_PAIRS.split()}
_TCVN3_TABLE = str.maketrans(TCVN3)

# VNI Windows: a base letter followed by a mark character; some letters take one byte.
_VNI_TONES = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_HAT = {"â": "\u0302", "ê": "\u0306"}  # after a and e/o: circumflex; after a: breve
_VNI_HAT_TONED = {
    "á": ("\u0302", "\u0301"),
    "à": ("\u0302", "\u0300"),
    "å": ("\u0302", "\u0309"),
    "ã": ("\u0302", "\u0303"),
    "ä": ("\u0302", "\u0323"),
    "é": ("\u0306", "\u0301"),
    "è": ("\u0306", "\u0300"),
    "ú": ("\u0306", "\u0309"),
    "ü": ("\u0306", "\u0303"),
    "ë": ("\u0306", "\u0323"),
}
_VNI_SINGLE = {
    "ô": "ơ",
    "ö": "ư",
    "í": "í",
    "ì": "ì",
    "æ": "ỉ",
    "ó": "ĩ",
    "ò": "ị",
    "î": "ỵ",
    "ñ": "đ",
    "Ô": "Ơ",
    "Ö": "Ư",
    "Í": "Í",
    "Ì": "Ì",
    "Æ": "Ỉ",
    "Ó": "Ĩ",
    "Ò": "Ị",
    "Î": "Ỵ",
    "Ñ": "Đ",
}


def _compose(base: str, *marks: str) -> str:
    return unicodedata.normalize("NFC", base + "".join(marks))


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}
    for lower in (True, False):

        def case(s: str, lower: bool = lower) -> str:
            return s if lower else s.upper()

        for base in "aeouy":
            for mark, tone in _VNI_TONES.items():
                table[case(base) + case(mark)] = _compose(case(base), tone)
        for base in "aeo":
            table[case(base) + case("â")] = _compose(case(base), "\u0302")
            for mark, (hat, tone) in _VNI_HAT_TONED.items():
                if hat == "\u0302":
                    table[case(base) + case(mark)] = _compose(case(base), hat, tone)
        table[case("a") + case("ê")] = _compose(case("a"), "\u0306")
        for mark, (hat, tone) in _VNI_HAT_TONED.items():
            if hat == "\u0306":
                table[case("a") + case(mark)] = _compose(case("a"), hat, tone)
        for horned, plain in (("ô", "o"), ("ö", "u")):
            for mark, tone in _VNI_TONES.items():
                table[case(horned) + case(mark)] = _compose(case(plain), "\u031b", tone)
    table.update(_VNI_SINGLE)
    return table


VNI = _build_vni()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, VNI), key=len, reverse=True)))

# VIQR (RFC 1456): letter, then modifier (^ ( +), then tone (' ` ? ~ .); dd for đ.
_VIQR_MODS = {"^": "\u0302", "(": "\u0306", "+": "\u031b"}
_VIQR_TONES = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
# A "?" or "." after a vowel is a tone mark inside a sentence ("chu? nghi~a") and
# punctuation at its end ("dda^u? To^i"), which is how RFC 1456 text reads in practice.
_VIQR_SYLLABLE = re.compile(
    r"\\[\\^(+'`?~.]|(?<![A-Za-z])(?:dd|DD|Dd)"
    r"|[aeiouyAEIOUY][\^(+]?(?:['`~]|[?.](?=[A-Za-z]|[ \t]+[a-zđ]))?"
)


def tcvn3_to_unicode(text: str) -> str:
    converted = text.translate(_TCVN3_TABLE)
    return _restore_capitals(converted, text)


def vni_to_unicode(text: str) -> str:
    return _VNI_PATTERN.sub(lambda m: VNI[m.group(0)], text)


def viqr_to_unicode(text: str) -> str:
    def convert(match: re.Match[str]) -> str:
        chunk = match.group(0)
        if chunk.startswith("\\"):
            return chunk[1:]
        if chunk.lower() == "dd":
            return "Đ" if chunk[0] == "D" else "đ"
        base = chunk[0]
        marks = [_VIQR_MODS.get(char) or _VIQR_TONES[char] for char in chunk[1:]]
        return _compose(base, *marks)

    return _VIQR_SYLLABLE.sub(convert, text)


_WORD = re.compile(r"[^\s\d.,;:!?()\[\]{}\"“”'‘’«»/\\|-]+")


def _restore_capitals(converted: str, original: str) -> str:
    """Capitalise converted letters inside words whose other letters are all capitals."""
    out = list(converted)
    for match in _WORD.finditer(original):
        word = original[match.start() : match.end()]
        ascii_letters = [c for c in word if c.isascii() and c.isalpha()]
        if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters):
            for i in range(match.start(), match.end()):
                out[i] = out[i].upper()
    return "".join(out)


def syllable_score(text: str) -> tuple[int, int]:
    """(valid Vietnamese syllables, words) among the alphabetic words of `text`."""
    valid = total = 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        if not any(c.isalpha() for c in word):
            continue
        total += 1
        if is_valid(canonical(unicodedata.normalize("NFC", word))):
            valid += 1
    return valid, total


CONVERTERS: dict[str, Callable[[str], str]] = {
    "tcvn3": tcvn3_to_unicode,
    "vni": vni_to_unicode,
    "viqr": viqr_to_unicode,
}

# Characters that betray a legacy encoding read as Latin-1/Windows-1252: none of them
# belongs in Vietnamese Unicode text (which has its own letters for these sounds).
_LEGACY_HINT = re.compile(r"[¡¢£¤¥¦§¨©ª«¬®µ¶·¸¹»¼½¾ÆÇÈËÎÏÐÑÖ×ØÜÞßäåæçëîïñöøûüþ÷\u00ad]")
# Letters that only Vietnamese Unicode (not Latin-1) has: text containing them is Unicode.
_UNICODE_VIETNAMESE = re.compile(r"[ăắằẳẵặấầẩẫậđếềểễệỉịỏọốồổỗộơớờởỡợủụưứừửữựỳỷỹỵĂĐƠƯẠ-ỹ]")


def _improves(before: str, after: str) -> bool:
    """Whether a conversion turned enough non-words into Vietnamese syllables to be real:
    at least three valid syllables, two words changed, and a clearly higher share."""
    valid_before, total = syllable_score(before)
    valid_after, total_after = syllable_score(after)
    if total == 0 or total_after == 0 or valid_after < 3:
        return False
    changed = sum(1 for a, b in zip(before.split(), after.split(), strict=False) if a != b)
    share_before, share_after = valid_before / total, valid_after / total_after
    return changed >= 2 and share_after >= 0.6 and share_after - share_before >= 0.25


def detect(text: str) -> str | None:
    """The legacy encoding `text` is written in, or None for Unicode (or anything else)."""
    if _unicode(text):
        return None
    candidates = []
    if _LEGACY_HINT.search(text):
        candidates += ["tcvn3", "vni"]
    if _viqr_hinted(text):
        candidates.append("viqr")
    best, best_share = None, -1.0
    for name in candidates:
        converted = CONVERTERS[name](text)
        if not _improves(text, converted):
            continue
        valid, total = syllable_score(converted)
        if valid / total > best_share:
            best, best_share = name, valid / total
    return best


# VIQR marks after a vowel and "dd", found at C speed (one leading character class, which
# the engine scans for; the lookbehinds then test the letters around it); each is then
# checked by hand, which is faster than a pattern that must test every vowel of the text.
_VIQR_MARKS = re.compile(r"[\^(+`~'dD](?:(?<=[aeiouyAEIOUY][\^(+`~'])|(?<=[dD])[dD][aeiouyAEIOUY])")
_ASCII_VOWELS = frozenset("aeiouyAEIOUY")


def _viqr_hints(text: str) -> Iterator[int]:
    """Where `text` has a VIQR mark that reads as one."""
    for match in _VIQR_MARKS.finditer(text):
        start = match.start()
        before = text[start - 1] if start else " "
        mark = match.group(0)
        if len(mark) == 3:
            if not before.isalpha():
                yield start
        elif before in _ASCII_VOWELS:
            if mark != "'":
                yield start
                continue
            after = text[start + 1 : start + 2]
            if after.isascii() and (after.isalpha() or after in " \t\n,;:!"):
                yield start


def _viqr_hinted(text: str) -> bool:
    return next(_viqr_hints(text), None) is not None


def _hinted(text: str) -> bool:
    return bool(_LEGACY_HINT.search(text)) or _viqr_hinted(text)


def repair(text: str) -> str:
    """Convert each line written in a legacy encoding; leave every other line as it is.

    The encoding is chosen for the whole text (short lines alone say too little) and then
    applied to the lines it improves, so a Unicode document quoting one TCVN3 line works.
    Lines without a trace of a legacy encoding are never examined.
    """
    if not _hinted(text):
        return text
    lines = text.split("\n")
    encoding = _choose(text, lines)
    if encoding is None:
        return text
    convert = CONVERTERS[encoding]
    out = []
    for line in lines:
        converted = convert(line) if _hinted(line) else line
        if converted != line and (_improves(line, converted) or detect(line) == encoding):
            out.append(converted)
        else:
            out.append(line)
    return "\n".join(out)


def _choose(text: str, pieces: list[str]) -> str | None:
    """The encoding of the whole text, or else the one encoding its pieces agree on."""
    encoding = detect(text)
    if encoding is not None or len(pieces) == 1:
        return encoding
    encodings = {found for piece in pieces if _hinted(piece) and (found := detect(piece))}
    return encodings.pop() if len(encodings) == 1 else None


# Markup that is not text: scripts, styles and comments, then any tag. The text between
# them is what a reader sees and what decides the encoding. One group, so that
# `split` hands back text and markup alternately, at C speed.
_MARKUP = re.compile(
    r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[!?/]?[A-Za-z][^>]*>)",
    re.DOTALL | re.IGNORECASE,
)
_TAG = re.compile(r"<(?:!doctype|html|head|body|meta|title|p|div|br)\b", re.IGNORECASE)


# Two hints with neither a tag nor a letter that only Unicode has between them: a legacy
# passage quoted in a Unicode page, found at C speed. The "©" and "·" of a Unicode page's
# footer and lists stand alone or among Unicode letters.
_PASSAGE = re.compile(
    f"{_LEGACY_HINT.pattern}[^<{_LEGACY_HINT.pattern[1:-1]}{_UNICODE_VIETNAMESE.pattern[1:-1]}]*{_LEGACY_HINT.pattern}"
)


def looks_like_markup(text: str) -> bool:
    return bool(_TAG.search(text, 0, 4096))


def _unicode(text: str) -> bool:
    # Three are enough to decide; counting all of them cost as much as the rest on a page.
    return len(list(islice(_UNICODE_VIETNAMESE.finditer(text), 3))) > 2


def repair_markup(document: str) -> str:
    """`repair` for an HTML page: the encoding is decided on the page's text, not its tags
    and scripts, and applied to the text between tags and, for the byte-table encodings,
    to the tags' attribute values (titles and descriptions live there). VIQR is never
    applied to tags: its marks are the quotes and punctuation of the markup itself.

    A page whose text reads as one legacy encoding is converted throughout, a bold word
    included, which alone would prove nothing. In a Unicode page only TCVN3 or VNI
    passages of two hints or more are looked for, and converted when they improve:
    looking at every piece of every page cost twenty times the decoding itself.
    """
    if _unicode(document):
        if not _PASSAGE.search(document):
            return document
        parts = _MARKUP.split(document)
        return _repair_pieces(parts, [i for i in range(0, len(parts), 2) if _PASSAGE.search(parts[i])])
    parts = _MARKUP.split(document)
    visible = "\n".join(parts[0::2])
    if not _hinted(visible):
        return document
    encoding = detect(visible)
    if encoding is None:
        return _repair_pieces(parts, [i for i in range(0, len(parts), 2) if _hinted(parts[i])])
    convert = CONVERTERS[encoding]
    # TCVN3 also moves Latin-1 letters that are no hint ("è" is "ố"): every piece.
    for index in range(0, len(parts), 2):
        if encoding == "viqr" or not parts[index].isascii():
            parts[index] = convert(parts[index])
    if encoding != "viqr":
        for index in range(1, len(parts), 2):
            tag = parts[index]
            if tag[1:2].isalpha() and not tag.isascii() and not tag[:7].lower().startswith(("<script", "<style")):
                parts[index] = convert(tag)
    return "".join(parts)


def _repair_pieces(parts: list[str], candidates: list[int]) -> str:
    """Convert the candidate pieces that improve, when they agree on one encoding."""
    found = {name for index in candidates if (name := detect(parts[index]))}
    if len(found) != 1:
        return "".join(parts)
    encoding = found.pop()
    convert = CONVERTERS[encoding]
    for index in candidates:
        converted = convert(parts[index])
        if converted != parts[index] and (_improves(parts[index], converted) or detect(parts[index]) == encoding):
            parts[index] = converted
    return "".join(parts)
