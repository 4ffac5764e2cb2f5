"""Finding the monitored organisations in articles.

All names are matched at once with an Aho-Corasick automaton over folded text, so the
cost does not grow with the number of organisations. Folded text has the length of the
normalised text, so a match's span is also its span in the article. Rules on top:

- a match must start and end at word boundaries;
- the organisation's `name` and `aliases` match in any case and with or without diacritics,
  with any dash spaced any way ("Than – Khoáng sản", "Than-Khoáng sản");
- acronyms (EVN, PVN) match only with the exact capitals written in the article;
- tickers (VCB, GAS) match with the exact capitals and only in a stock context (`_stock_context`):
  after "mã", "cổ phiếu", "CP" or an exchange ("HOSE: GAS"); in a list of at least TICKER_LIST
  ticker-shaped words ("VCB, BID, CTG") in an article that names stocks somewhere; before a
  price or a price move ("HVN nhích 0,38%"); in a sentence about the market ("chứng khoán",
  "sàn", "mã", "HNX", "VN-Index"); or anywhere in an article about the market (stock words in
  STOCK_ARTICLE_SENTENCES of its sentences). An organisation also called by its ticker in plain
  prose lists it under acronyms too;
- an ambiguous alias ("ngành điện") counts only when a context term of its organisation
  appears in the article;
- a blocked phrase ("ngành điện ảnh", "Cục Hàng không Việt Nam") names something else: any
  match inside one is dropped;
- a look-alike name: a short alias that begins a longer one ("Tập đoàn Dầu khí" of "Tập đoàn
  Dầu khí Quốc gia Việt Nam"), followed by the longer one's next words and then a different
  capitalised name ("Tập đoàn dầu khí quốc gia Malaysia") is another organisation;
- an exclusion term in the same sentence cancels a match of the organisation's own names
  (aliases, ambiguous names) — not of its acronyms, tickers or member companies, which are
  specific enough, nor of a name that says "Việt Nam" itself (a foreign look-alike never
  does: "Tập đoàn Dầu khí Việt Nam ký với Petronas" is PVN). Exclusion terms keep their
  diacritics ("Nga" is not "ngã") and, when written with a capital, their case ("Mỹ" the
  country, not "thẩm mỹ");
- the article's context: when exclusion terms fill the article (`CONTEXT_SHARE` of its
  sentences, at least `CONTEXT_SENTENCES`) and cancelled one of the organisation's names in
  its sentence, the organisation's other own names are read as the
  look-alike throughout (a football report names "Viettel" the club in sentences without a
  sports word too); acronyms, tickers and members still count;
- member companies (`members`) match by their name, aliases, acronyms and tickers; their
  mentions carry the organisation's key and the member's name;
- where matches overlap, the longest wins ("Tập đoàn Điện lực Việt Nam" over "Điện lực").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

from loa.text.folding import fold_chars
from loa.text.normalization import normalize
from loa.text.tokens import Span, sentences

FIELDS = ("title", "lead", "body")
# How much a mention counts, by where it appears.
FIELD_WEIGHT = {"title": 1.0, "lead": 0.7, "body": 0.4}


@dataclass(frozen=True)
class MemberSpec:
    """A member company (subsidiary) of a monitored organisation: its coverage counts for it."""

    name: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    tickers: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntitySpec:
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    tickers: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()
    members: tuple[MemberSpec, ...] = ()


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
    # How it was named: "alias", "acronym", "ticker" or "ambiguous" (salience reads tickers as
    # market-list mentions).
    kind: str = "alias"


@dataclass(frozen=True)
class _Pattern:
    key: str
    kind: str  # "alias", "acronym", "ticker", "ambiguous" or "blocked"
    written: str
    member: str = ""


# Preference among patterns of the same span and organisation: the most specific kind first.
_KIND_ORDER = {"alias": 0, "acronym": 1, "ambiguous": 2, "ticker": 3}

# When exclusion terms appear in this share of an article's sentences (and at least this many),
# the organisation's own names are the look-alike throughout the article.
CONTEXT_SHARE = 0.25
CONTEXT_SENTENCES = 2


# Dashes of every kind read as one ("Than – Khoáng sản", "Than - Khoáng sản"); one for one, so
# offsets stay those of the article.
_DASHES = str.maketrans(dict.fromkeys("–—‐‑−", "-"))


def _fold(text: str) -> str:
    return fold_chars(text).translate(_DASHES)


def _key(text: str) -> str:
    """The folded, single-spaced form a name is matched by."""
    return " ".join(_fold(normalize(text)).split())


def _variants(key: str) -> set[str]:
    """A name with a dash, spaced every way it is written ("Than-Khoáng", "Than - Khoáng")."""
    if "-" not in key:
        return {key}
    return {re.sub(r"\s*-\s*", joint, key) for joint in ("-", " - ", " -", "- ")}


# Whitespace becomes a plain space one for one, so offsets stay those of the article.
_SPACES = re.compile(r"\s")
_TICKER_SHAPE = re.compile(r"[A-Z][A-Z0-9]{2}")
# Just before a ticker (folded text): "mã", "cổ phiếu", "CP", "mã chứng khoán", "HOSE:", "(HNX:".
_STOCK_BEFORE = re.compile(
    r"(?:\b(?:ma|co phieu|cp|ma co phieu|ma chung khoan|ma ck|ck)|\b(?:hose|hnx|upcom|hsx)\s*:)\s*[:(]?\s*$"
)
# In the same sentence (normalised text, lower case, diacritics kept: "sàn" is not "sản").
_STOCK_WORDS = re.compile(
    r"(?<!\w)(?:chứng khoán|cổ phiếu|hose|hsx|hnx|upcom|vn-index|vnindex|vn30|hnx-index|upcom-index|"
    r"niêm yết|khối ngoại|vốn hóa|vốn hoá|phiên giao dịch|chốt phiên)(?!\w)"
)
# Words that speak of the market only beside a ticker-shaped word: the same sentence ("sàn" is
# also a floor, "mã" a postcode), never the whole article.
_STOCK_NEAR = re.compile(r"(?<!\w)(?:sàn|mã|mã ck|thanh khoản|tự doanh)(?!\w)")
# Just after a ticker: a price move or a price ("tăng 6,98%", "nhích nhẹ 0,38%", "19,400").
_STOCK_AFTER = re.compile(r"\s*(?:[^\d.!?\n]{0,30}?[+-]?\d+(?:[.,]\d+)?\s*%|[+-]?\d+[.,]\d+)")
# An article about the market (stock words in this many of its sentences): a ticker anywhere
# in it is the stock.
STOCK_ARTICLE_SENTENCES = 3
_TICKER_RUN = re.compile(r"(?<!\w)[A-Z][A-Z0-9]{2}(?:\s*(?:,|;|/|và)\s*[A-Z][A-Z0-9]{2}(?!\w))+")
TICKER_LIST = 3


@dataclass
class Matcher:
    specs: list[EntitySpec]
    _automaton: ahocorasick.Automaton = field(init=False, repr=False)
    _context: dict[str, list[str]] = field(init=False, repr=False)
    _exclude: dict[str, list[re.Pattern[str]]] = field(init=False, repr=False)
    _longer: dict[tuple[str, str], list[list[str]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        table: dict[str, list[_Pattern]] = {}

        def add(key: str, kind: str, names: Iterable[str], member: str = "") -> None:
            for name in names:
                folded = _key(name)
                for variant in _variants(folded) if folded else ():
                    table.setdefault(variant, []).append(_Pattern(key, kind, normalize(name).strip(), member))

        for spec in self.specs:
            add(spec.key, "alias", (spec.name, *spec.aliases))
            add(spec.key, "acronym", spec.acronyms)
            add(spec.key, "ambiguous", spec.ambiguous)
            add(spec.key, "ticker", spec.tickers)
            add(spec.key, "blocked", spec.blocked)
            for member in spec.members:
                add(spec.key, "alias", (member.name, *member.aliases), member.name)
                add(spec.key, "acronym", member.acronyms, member.name)
                add(spec.key, "ticker", member.tickers, member.name)
        for key, patterns in table.items():
            self._automaton.add_word(key, (key, patterns))
        if table:
            self._automaton.make_automaton()
        self._context = {s.key: [k for k in map(_key, s.context) if k] for s in self.specs}
        self._exclude = {s.key: [_term(t) for t in s.exclude if t.strip()] for s in self.specs}
        # For the look-alike rule: the longer own names each own alias begins.
        self._longer = {}
        for spec in self.specs:
            own = [_key(n) for n in (spec.name, *spec.aliases) if _key(n)]
            for short in own:
                rests = [long[len(short) :].split() for long in own if long.startswith(short + " ")]
                if rests:
                    self._longer[(spec.key, short)] = rests

    def find(self, *, title: str = "", lead: str = "", body: str = "") -> list[Mention]:
        """Mentions in the three (normalised) fields, in reading order."""
        if not self.specs or not len(self._automaton):
            return []
        fields = {"title": title, "lead": lead, "body": body}
        folded = {name: _SPACES.sub(" ", _fold(text)) for name, text in fields.items()}
        whole = " ".join(folded.values())
        spans = {name: sentences(text) for name, text in fields.items()}
        stock_sentences = sum(1 for name in fields for span in spans[name] if _STOCK_WORDS.search(span.text.lower()))
        # 0: no ticker; 1: tickers in a list too; 2: a market article, tickers anywhere.
        market = 2 if stock_sentences >= STOCK_ARTICLE_SENTENCES else 1 if stock_sentences else 0
        found: list[Mention] = []
        excluded: set[str] = set()  # organisations with a name cancelled by an exclusion term
        for name, text in fields.items():
            found += self._find_in(name, text, folded[name], whole, spans[name], market, excluded)
        return self._article_context(found, fields, spans, excluded)

    def _find_in(
        self,
        field_name: str,
        text: str,
        folded: str,
        whole: str,
        spans: list[Span],
        market: int,
        excluded: set[str],
    ) -> list[Mention]:
        raw: list[tuple[int, int, _Pattern]] = []
        blocked: list[tuple[int, int]] = []
        for end_index, (key, patterns) in self._automaton.iter(folded):
            start = end_index - len(key) + 1
            end = end_index + 1
            if (start > 0 and folded[start - 1].isalnum()) or (end < len(folded) and folded[end].isalnum()):
                continue
            for pattern in patterns:
                if pattern.kind == "blocked":
                    blocked.append((start, end))
                    continue
                if pattern.kind in ("acronym", "ticker") and text[start:end] != pattern.written:
                    continue
                if pattern.kind == "ticker" and not (
                    market == 2 or _stock_context(text, folded, start, end, spans, lists=market == 1)
                ):
                    continue
                if pattern.kind == "ambiguous" and not any(
                    _contains(whole, term) for term in self._context[pattern.key]
                ):
                    continue
                if not pattern.member and pattern.kind in ("alias", "ambiguous"):
                    if " viet nam" not in f" {key}" and self._excluded(pattern.key, text, start, end, spans):
                        excluded.add(pattern.key)
                        continue
                    if self._lookalike(pattern.key, key, text, folded, end):
                        continue
                raw.append((start, end, pattern))
        raw = [m for m in raw if not any(s <= m[0] and m[1] <= e for s, e in blocked)]
        # Longest first; a match inside a longer one is dropped.
        raw.sort(key=lambda m: (-(m[1] - m[0]), m[0], _KIND_ORDER.get(m[2].kind, 9)))
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
            mentions.append(
                Mention(
                    pattern.key,
                    field_name,
                    start,
                    end,
                    text[start:end],
                    round(weight, 3),
                    member=pattern.member,
                    kind=pattern.kind,
                )
            )
        return mentions

    def _excluded(self, key: str, text: str, start: int, end: int, spans: list[Span]) -> bool:
        terms = self._exclude.get(key)
        if not terms:
            return False
        sentence = _sentence_of(text, start, end, spans)
        return any(term.search(sentence) for term in terms)

    def _lookalike(self, key: str, matched: str, text: str, folded: str, end: int) -> bool:
        """A short own name continued like a longer own name, then by another capitalised name:
        "Tập đoàn dầu khí quốc gia Malaysia" is not "Tập đoàn Dầu khí Quốc gia Việt Nam"."""
        rests = self._longer.get((key, matched))
        if not rests:
            return False
        after_words = [(m.group(0), m.start()) for m in re.finditer(r"\w+", folded[end : end + 80])]
        for rest in rests:
            shared = 0
            while shared < len(rest) and shared < len(after_words) and after_words[shared][0] == rest[shared]:
                shared += 1
            if shared == 0 or shared >= len(rest) or shared >= len(after_words):
                continue
            # `text` and `folded` have the same offsets: read the diverging word's capital.
            position = end + after_words[shared][1]
            if text[position].isupper():
                return True
        return False

    def _article_context(
        self, found: list[Mention], fields: dict[str, str], spans: dict[str, list[Span]], excluded: set[str]
    ) -> list[Mention]:
        """Drop an organisation's own names when its exclusion terms fill the article and one of
        its names was already cancelled in its sentence (a football report; not an article
        about a foreign company that says "đô la Mỹ" throughout)."""
        named = {m.key for m in found if not m.member and m.kind in ("alias", "ambiguous")} & excluded
        lookalike = set()
        for key in named:
            terms = self._exclude.get(key)
            if not terms:
                continue
            total = hits = 0
            for name in fields:
                for span in spans[name]:
                    total += 1
                    hits += any(term.search(span.text) for term in terms)
            if hits >= CONTEXT_SENTENCES and hits >= CONTEXT_SHARE * total:
                lookalike.add(key)
        if not lookalike:
            return found
        return [m for m in found if not (m.key in lookalike and not m.member and m.kind in ("alias", "ambiguous"))]


def _term(term: str) -> re.Pattern[str]:
    """An exclusion term as a pattern over normalised text: diacritics kept; case kept when the
    term is written with a capital (a country, "CLB"), ignored otherwise ("cầu thủ")."""
    written = " ".join(normalize(term).split())
    flags = 0 if any(c.isupper() for c in written) else re.IGNORECASE
    body = r"\s+".join(re.escape(word) for word in written.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


def _sentence_of(text: str, start: int, end: int, spans: list[Span]) -> str:
    for span in spans:
        if span.start <= start < span.end or span.start < end <= span.end:
            return text[span.start : max(span.end, end)]
    return text[max(0, start - 200) : end + 200]


def _stock_context(text: str, folded: str, start: int, end: int, spans: list[Span], *, lists: bool) -> bool:
    """Whether a ticker-shaped word is read as a stock code here (see the module docstring)."""
    if _STOCK_BEFORE.search(folded[max(0, start - 24) : start]):
        return True
    # In a list of at least TICKER_LIST ticker-shaped words ("VCB, BID, CTG") in an article that
    # speaks of stocks somewhere; two are not enough ("cảm biến BSI, OIS": a camera's
    # specification), nor a list in an article without stocks ("CNN, ABC, NBC").
    window = text[max(0, start - 60) : end + 60] if lists else ""
    for run in _TICKER_RUN.finditer(window):
        run_start = max(0, start - 60) + run.start()
        inside = run_start <= start and end <= run_start + len(run.group(0))
        if inside and len(_TICKER_SHAPE.findall(run.group(0))) >= TICKER_LIST:
            return True
    if _STOCK_AFTER.match(text, end):
        return True
    sentence = _sentence_of(text, start, end, spans)
    lowered = sentence.lower()
    return _STOCK_WORDS.search(lowered) is not None or _STOCK_NEAR.search(lowered) is not None


def _contains(folded_text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", folded_text) is not None


def article_prominence(mentions: Iterable[Mention]) -> dict[str, float]:
    """How prominent each organisation is in the article (0–1), combining its mentions as
    independent chances of being the subject (noisy-or)."""
    remaining: dict[str, float] = {}
    for mention in mentions:
        remaining[mention.key] = remaining.get(mention.key, 1.0) * (1.0 - mention.prominence)
    return {key: round(1.0 - value, 3) for key, value in remaining.items()}
