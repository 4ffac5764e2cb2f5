"""Syllable tokens and sentences, as spans of the text they come from."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


# Letters and digits; a number keeps its thousands separators and decimals ("1.000,5").
_SYLLABLE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?")


def syllables(text: str) -> list[Span]:
    """Vietnamese is written one syllable per word: the tokens are the syllables and numbers."""
    return [Span(m.group(0), m.start(), m.end()) for m in _SYLLABLE.finditer(text)]


# Words after which a full stop does not end a sentence: titles, degrees, places, "v.v".
ABBREVIATIONS = frozenset(
    """tp tt ts ths pgs gs bs ks ls ns cn tx tn q p h st mr mrs ms dr ths.bs pgs.ts gs.ts
    vs no nxb tr vd v.v ubnd hđnd đ dt tw đ/c đc ct""".split()  # noqa: SIM905
)
_END = re.compile(r"[.!?…]+[\"”’»)\]]*|\n")
_NEXT = re.compile(r"\s+[\"“‘«(\[]?(\w)")


def sentences(text: str) -> list[Span]:
    """Split on ., !, ?, … (with closing quotes) before a capital, and on line breaks.

    Written here because the splitter must return offsets and keep a closing quote with
    its sentence ('nói: "Tôi đồng ý." Sau đó'); abbreviations such as "TP." or "PGS.TS."
    and initials do not end sentences.
    """
    spans: list[Span] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        if match.group(0) != "\n":
            following = _NEXT.match(text, end)
            starts_sentence = following is not None and (following.group(1).isupper() or following.group(1).isdigit())
            if not starts_sentence and end < len(text):
                continue
            if match.group(0).startswith(".") and _is_abbreviation(text, match.start()):
                continue
        _append(spans, text, start, end)
        start = end
    _append(spans, text, start, len(text))
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:dot].lower().strip('"“‘«([')
    if not word:
        return False
    if word in ABBREVIATIONS or word.split(".")[-1] in ABBREVIATIONS:
        return True
    # A single capital is an initial ("Nguyễn V. A").
    return len(word) == 1 and text[dot - 1].isupper()


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(text[start:end], start, end))
