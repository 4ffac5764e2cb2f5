"""`normalize`: the one canonical form of Vietnamese text in Loa.

Idempotent: normalize(normalize(t)) == normalize(t). It never drops letters or digits
except when it decodes them from entities, mojibake or a legacy encoding; it drops only
invisible characters and redundant whitespace.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from loa.text import legacy, mojibake
from loa.text.chars import INVISIBLE, LOOKALIKES, MODIFIERS, ODD_SPACES, SOFT_HYPHEN
from loa.text.syllables import canonical

# Character classes, not str.translate: a regex search skips clean text at C speed.
_INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")
_EARLY_SPACES = re.compile("[" + "".join(sorted(c for c in ODD_SPACES if c != "\u00a0")) + "]")
_C0 = re.compile("[\x00-\x08\x0e-\x1f]")
_LATE = re.compile("[\x7f-\x9f]")
_LOOKALIKE = re.compile("[" + "".join(LOOKALIKES) + "]")
_LOOKALIKE_TABLE = str.maketrans(LOOKALIKES)
# Only a tone on a vowel next to another vowel can sit on the wrong one ("hoà", "uỷ"),
# so only words with such a pair are looked at: a quarter of the words, not all of them.
_VOWELS = "aăâeêioôơuưyàằầèềìòồờùừỳáắấéếíóốớúứýảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹạặậẹệịọộợụựỵ"
_TONED = _VOWELS[12:]
_V = _VOWELS + _VOWELS.upper()
_T = _TONED + _TONED.upper()
_PAIR = re.compile(rf"[{_T}][{_V}]|[{_V}][{_T}]")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_SPACES = re.compile(r"[ ]{2,}")
_EDGE_SPACES = re.compile(r"[ ]+\n[ ]*|\n[ ]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _decode_entities(text: str) -> str:
    """Decode HTML entities until none is left (pages often escape twice)."""
    for _ in range(8):
        text = _strip(_INVISIBLE, text, "")
        if "&" not in text:
            return text
        decoded = html.unescape(text)
        if decoded == text:
            return text
        text = decoded
    return _strip(_INVISIBLE, text, "")


def _strip(pattern: re.Pattern[str], text: str, replacement: str) -> str:
    return pattern.sub(replacement, text) if pattern.search(text) else text


def _order_marks(text: str) -> str:
    """Put vowel modifiers before tone marks in leftover combining sequences.

    Text typed with Windows-1258 keyboards or decomposed by hand can carry "e + ́ + ̂";
    circumflex and acute share a combining class, so NFC keeps that order and cannot
    compose the letter. Reordering lets it become "ế".
    """
    decomposed = unicodedata.normalize("NFD", text)
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        modifiers = [c for c in run if c in MODIFIERS]
        others = [c for c in run if c not in MODIFIERS]
        out.extend(modifiers + others)
        run.clear()

    for char in decomposed:
        if unicodedata.combining(char):
            run.append(char)
        else:
            flush()
            out.append(char)
    flush()
    return unicodedata.normalize("NFC", "".join(out))


def _place_tones(text: str) -> str:
    """Rewrite the words whose tone is not where `canonical` puts it.

    Finds toned vowel pairs, widens each to its word and rebuilds the text only when a
    word changes; measured twice as fast as a word regex with a replacement callback.
    """
    pieces: list[str] = []
    emitted = scanned = 0
    length = len(text)
    for match in _PAIR.finditer(text):
        start = match.start()
        if start < scanned:
            continue
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        end = match.end()
        while end < length and text[end].isalpha():
            end += 1
        scanned = end
        word = text[start:end]
        placed = canonical(word)
        if placed != word:
            pieces.append(text[emitted:start])
            pieces.append(placed)
            emitted = end
    if not pieces:
        return text
    pieces.append(text[emitted:])
    return "".join(pieces)


def normalize(text: str) -> str:
    # The repairs can uncover work for each other (a legacy conversion can leave what
    # looks like mojibake, an entity can hide a zero-width space); running to a fixed
    # point makes normalize idempotent by construction. Clean text settles in one pass
    # plus a cheap confirming one.
    for _ in range(4):
        result = _normalize_once(text)
        if result == text:
            break
        text = result
    return text


def _normalize_once(text: str) -> str:
    if not text:
        return ""
    text = _decode_entities(text.replace("\r\n", "\n").replace("\r", "\n"))
    # The no-break space and C1 controls stay until mojibake is repaired: "HÃ\xa0" is a
    # broken "Hà" and "Ä\x90" a broken "Đ". Other odd spaces and C0 controls go first, so
    # that the repairs see the same input on every pass.
    text = _strip(_C0, _strip(_EARLY_SPACES, text, " "), "")
    text = mojibake.repair(text)
    text = _strip(_LATE, text, "").replace("\u00a0", " ")
    text = legacy.repair(text).replace(SOFT_HYPHEN, "")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _COMBINING.search(text):
        text = _order_marks(text)
    if _LOOKALIKE.search(text):
        text = text.translate(_LOOKALIKE_TABLE)
    text = _place_tones(text)
    text = _strip(_SPACES, text, " ")
    text = _strip(_EDGE_SPACES, text, "\n")
    text = _strip(_BLANK_LINES, text, "\n\n")
    return text.strip(" \n")


@dataclass(frozen=True)
class Aligned:
    """Lightly normalised text with, for each of its characters, the offset it came from.

    `starts` has one more entry than `text`: the length of the original, so that a span
    [i, j) of `text` is the span [starts[i], starts[j]) of the original.
    """

    text: str
    starts: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.starts[end]


_CLUSTER = re.compile(r".[\u0300-\u036f]*", re.DOTALL)


def aligned(text: str) -> Aligned:
    """NFC per character cluster, invisible characters dropped, odd spaces made plain.

    For finding things (document numbers, dates) in text as the user gave it and
    reporting offsets into that text, which full normalisation cannot promise.
    """
    chars: list[str] = []
    starts: list[int] = []
    for match in _CLUSTER.finditer(text):
        cluster = match.group(0)
        if cluster[0] in INVISIBLE or cluster[0] == SOFT_HYPHEN:
            continue
        if cluster[0] in ODD_SPACES:
            cluster = " " + cluster[1:]
        composed = unicodedata.normalize("NFC", cluster).translate(_LOOKALIKE_TABLE)
        for char in composed:
            chars.append(char)
            starts.append(match.start())
    starts.append(len(text))
    return Aligned(text="".join(chars), starts=tuple(starts))
