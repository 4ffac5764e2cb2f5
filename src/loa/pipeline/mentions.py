"""Finding the monitored organisations in articles.

All names are matched at once with an Aho-Corasick automaton over folded text, so the
cost does not grow with the number of organisations. Folded text has the length of the
normalised text, so a match's span is also its span in the article. Rules on top:

- a match must start and end at word boundaries;
- acronyms (EVN, PVN) match only with the exact capitals written in the article;
- an ambiguous alias ("Điện lực") counts only when a context term of its organisation
  appears in the article;
- an exclusion term near a match (same sentence) cancels it ("Điện lực Hàn Quốc");
- where matches overlap, the longest wins ("Tập đoàn Điện lực Việt Nam" over "Điện lực").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

from loa.text.folding import fold_chars
from loa.text.normalization import normalize

FIELDS = ("title", "lead", "body")
# How much a mention counts, by where it appears.
FIELD_WEIGHT = {"title": 1.0, "lead": 0.7, "body": 0.4}


@dataclass(frozen=True)
class EntitySpec:
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    key: str
    field: str
    start: int
    end: int
    text: str
    prominence: float
    # The member company named ("" when the organisation itself is).
    member: str = ""


@dataclass(frozen=True)
class _Pattern:
    key: str
    kind: str  # "alias", "acronym" or "ambiguous"
    written: str


def _key(text: str) -> str:
    """The folded, single-spaced form a name is matched by."""
    return " ".join(fold_chars(normalize(text)).split())


# Whitespace becomes a plain space one for one, so offsets stay those of the article.
_SPACES = re.compile(r"\s")
_SENTENCE_END = re.compile(r"[.!?\n]")


@dataclass
class Matcher:
    specs: list[EntitySpec]
    _automaton: ahocorasick.Automaton = field(init=False, repr=False)
    _context: dict[str, list[str]] = field(init=False, repr=False)
    _exclude: dict[str, list[str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        table: dict[str, list[_Pattern]] = {}
        for spec in self.specs:
            for kind, names in (("alias", spec.aliases), ("acronym", spec.acronyms), ("ambiguous", spec.ambiguous)):
                for name in names:
                    key = _key(name)
                    if key:
                        table.setdefault(key, []).append(_Pattern(spec.key, kind, normalize(name).strip()))
        for key, patterns in table.items():
            self._automaton.add_word(key, (key, patterns))
        if table:
            self._automaton.make_automaton()
        self._context = {s.key: [k for k in map(_key, s.context) if k] for s in self.specs}
        self._exclude = {s.key: [k for k in map(_key, s.exclude) if k] for s in self.specs}

    def find(self, *, title: str = "", lead: str = "", body: str = "") -> list[Mention]:
        """Mentions in the three (normalised) fields, in reading order."""
        if not self.specs or not len(self._automaton):
            return []
        fields = {"title": title, "lead": lead, "body": body}
        folded = {name: _SPACES.sub(" ", fold_chars(text)) for name, text in fields.items()}
        whole = " ".join(folded.values())
        found: list[Mention] = []
        for name, text in fields.items():
            found += self._find_in(name, text, folded[name], whole)
        return found

    def _find_in(self, field_name: str, text: str, folded: str, whole: str) -> list[Mention]:
        raw: list[tuple[int, int, _Pattern]] = []
        for end_index, (key, patterns) in self._automaton.iter(folded):
            start = end_index - len(key) + 1
            end = end_index + 1
            if (start > 0 and folded[start - 1].isalnum()) or (end < len(folded) and folded[end].isalnum()):
                continue
            for pattern in patterns:
                if pattern.kind == "acronym" and text[start:end] != pattern.written:
                    continue
                if pattern.kind == "ambiguous" and not any(
                    _contains(whole, term) for term in self._context[pattern.key]
                ):
                    continue
                if self._excluded(pattern.key, folded, start, end):
                    continue
                raw.append((start, end, pattern))
        # Longest first; a match inside a longer one is dropped.
        raw.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        kept: list[tuple[int, int, _Pattern]] = []
        for start, end, pattern in raw:
            if any(start < e and s < end and not (s == start and e == end) for s, e, _p in kept):
                continue
            if any(s == start and e == end and p.key == pattern.key for s, e, p in kept):
                continue
            kept.append((start, end, pattern))
        kept.sort(key=lambda m: m[0])
        length = max(len(text), 1)
        mentions = []
        for start, end, pattern in kept:
            weight = FIELD_WEIGHT[field_name]
            if field_name == "body":
                # Earlier in the body reads as more central to the article.
                weight *= 1.0 - 0.5 * min(start / length, 1.0)
            mentions.append(Mention(pattern.key, field_name, start, end, text[start:end], round(weight, 3)))
        return mentions

    def _excluded(self, key: str, folded: str, start: int, end: int) -> bool:
        terms = self._exclude.get(key)
        if not terms:
            return False
        left = max((m.end() for m in _SENTENCE_END.finditer(folded, 0, start)), default=0)
        right_match = _SENTENCE_END.search(folded, end)
        right = right_match.start() if right_match else len(folded)
        sentence = folded[left:right]
        return any(_contains(sentence, term) for term in terms)


def _contains(folded_text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", folded_text) is not None


def article_prominence(mentions: Iterable[Mention]) -> dict[str, float]:
    """How prominent each organisation is in the article (0–1), combining its mentions as
    independent chances of being the subject (noisy-or)."""
    remaining: dict[str, float] = {}
    for mention in mentions:
        remaining[mention.key] = remaining.get(mention.key, 1.0) * (1.0 - mention.prominence)
    return {key: round(1.0 - value, 3) for key, value in remaining.items()}
