"""How much an article is about each organisation it names, and its tone toward each.

`main`: the article is about the organisation (or a member company); `secondary`: a
substantive part of it; `passing`: named in passing (a ticker in a market list, one line among
many). Alert rules, the press review and report counts take main and secondary by default.

`judge` is the entry point: salience from documented rules over a few features (`Features`,
`salience_of`), tone toward each organisation from the sentences naming it, each read by the
sentiment classifier the caller passes, and from the events those sentences report after its
name (`tone_cues_vi.tsv`, `cue_score`). Thresholds and weights were set on the dev split of
the labelled articles (bench/labels, `int(id) % 4 == 0`); bench/entities.py lists each change.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from loa.pipeline.mentions import Mention
from loa.text.normalization import normalize
from loa.text.tokens import sentences

SALIENCES = ("main", "secondary", "passing")
RELEVANT = ("main", "secondary")


@dataclass(frozen=True)
class Judgement:
    key: str
    salience: str  # one of SALIENCES
    tone: str  # one of loa.pipeline.tones.TONE_NAMES, toward the organisation
    score: float  # polarity toward the organisation, in [-1, 1]


# What `judge` asks of the sentiment classifier: for each text, (label, polarity in [-1, 1]).
Tones = Callable[[Sequence[str]], Sequence[tuple[str, float]]]

# Salience rules (`salience_of`), in reading order; thresholds are shares of the article's
# sentences (title, lead and body together).
MAIN_SHARE = 0.35  # named in this share of sentences: the article is about it
MAIN_LEAD_SHARE = 0.15  # named in the lead and in this share of sentences
MAIN_ALONE_SHARE = 0.15  # the only organisation named, in this share (and SECONDARY_MIN_SENTENCES)
SECONDARY_SHARE = 0.08  # named in this share of sentences (and at least SECONDARY_MIN_SENTENCES)
SECONDARY_MIN_SENTENCES = 2
SECONDARY_SENTENCES = 3  # or in this many sentences, whatever the article's length
CROWDED = 5  # with this many organisations named, the title alone does not make each main
LIST_NAMES = 4  # a sentence naming this many tickers or organisations is a list (a roundup)
# Tone: a polarity beyond these reads as negative / positive toward the organisation.
NEGATIVE_BELOW = -0.5
POSITIVE_ABOVE = 0.4
TITLE_WEIGHT = 0.5  # share of the title's polarity in the tone toward a main organisation
CONTEXT_SENTENCES = 8  # how many of its sentences (each with the next one) the tone reads
# Added to the sentences' mean polarity, times `cue_score` (in [-1, 1]): one event after the
# organisation's name ("TKV báo lãi", "PVN … tham ô") moves the tone by this much.
CUE_WEIGHT = 0.7
CUES_PATH = Path(__file__).with_name("tone_cues_vi.tsv")

# A quoted role in the event: someone speaking for the organisation.
_ROLE = re.compile(
    r"(?<!\w)(?:[Gg]iám đốc|[Cc]hủ tịch|[Tt]ổng giám đốc|[Đđ]ại diện|[Ll]ãnh đạo|[Pp]hát ngôn|"
    r"[Tt]rưởng ban|[Bb]í thư)(?!\w)"
)
_SPEECH = re.compile(
    r"(?<!\w)(?:cho biết|thông tin|khẳng định|chia sẻ|nói|phát biểu|trả lời|nhấn mạnh|thông báo|"
    r"đề nghị|kiến nghị)(?!\w)"
)
_TICKER_WORD = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]{2}(?![\w-])")


@dataclass(frozen=True)
class Features:
    """What the salience rules read, per organisation in one article. `paragraphs`, `first`,
    `mentions` and `members_only` are not used by the rules (they did not separate the dev
    labels); they are kept to explain a judgement."""

    in_title: bool
    in_lead: bool
    sentences: int  # sentences naming it (title, lead and body)
    share: float  # sentences / all sentences of the article
    paragraphs: int  # body paragraphs naming it
    first: float  # position of its first body mention, 0 (start) – 1 (end); 1 when none
    mentions: int
    listed_only: bool  # every mention sits in a list of many names or tickers
    members_only: bool  # named only through member companies
    tickers_only: bool  # named only by stock tickers
    quoted: bool  # a sentence naming it gives a role speaking for it ("Phó Tổng Giám đốc Viettel … cho biết")
    organisations: int  # organisations the article names, this one included


@dataclass(frozen=True)
class _Sentence:
    field: str
    start: int
    end: int
    text: str


def _sentences(fields: dict[str, str]) -> list[_Sentence]:
    found = []
    for name, text in fields.items():
        found += [_Sentence(name, s.start, s.end, s.text) for s in sentences(text) if s.text.strip()]
    return found


def features(mentions: Sequence[Mention], *, title: str, lead: str, body: str) -> dict[str, Features]:
    """The salience features of each organisation named by `mentions` (spans of the three
    normalised fields, as `Matcher.find` returns them)."""
    fields = {"title": title, "lead": lead, "body": body}
    all_sentences = _sentences(fields)
    names_in: dict[int, set[tuple[str, int]]] = {}
    where: dict[str, set[int]] = {}
    for mention in mentions:
        for index, sentence in enumerate(all_sentences):
            if sentence.field == mention.field and sentence.start <= mention.start < sentence.end:
                names_in.setdefault(index, set()).add((mention.key, mention.start))
                where.setdefault(mention.key, set()).add(index)
                break
    listed: set[tuple[str, int]] = set()  # (field, start) of mentions inside a list
    for index, sentence in enumerate(all_sentences):
        crowded = (
            len(_TICKER_WORD.findall(sentence.text)) >= LIST_NAMES
            or len({key for key, _s in names_in.get(index, ())}) >= LIST_NAMES
        )
        runs = _enumerations(sentence)
        for _key, start in names_in.get(index, ()):
            if crowded or any(a <= start < b for a, b in runs):
                listed.add((sentence.field, start))
    paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n+", body)]
    keys = list(dict.fromkeys(m.key for m in mentions))
    total = max(len(all_sentences), 1)
    result = {}
    for key in keys:
        own = [m for m in mentions if m.key == key]
        # Counted as writing about it: mentions outside lists (tickers outside lists too).
        free = [m for m in own if (m.field, m.start) not in listed]
        body_starts = [m.start for m in free if m.field == "body"]
        indexes = {index for index in where.get(key, set()) if any(_inside(all_sentences[index], m) for m in free)}
        result[key] = Features(
            in_title=any(m.field == "title" for m in free),
            in_lead=any(m.field == "lead" for m in free),
            sentences=len(indexes),
            share=round(len(indexes) / total, 3),
            paragraphs=len({bisect.bisect_right(paragraph_starts, s) for s in body_starts}),
            first=round(min(body_starts) / max(len(body), 1), 3) if body_starts else 1.0,
            mentions=len(own),
            listed_only=not free,
            members_only=all(m.member for m in own),
            tickers_only=all(m.kind == "ticker" for m in own),
            quoted=any(_ROLE.search(all_sentences[i].text) and _SPEECH.search(all_sentences[i].text) for i in indexes),
            organisations=len(keys),
        )
    return result


def _inside(sentence: _Sentence, mention: Mention) -> bool:
    return sentence.field == mention.field and sentence.start <= mention.start < sentence.end


_ITEM_SEPARATOR = re.compile(r"\s*(?:,|;|\bvà\b|\bhoặc\b)\s*")


def _enumerations(sentence: _Sentence) -> list[tuple[int, int]]:
    """Spans (in the field's offsets) of runs of at least LIST_NAMES capitalised items
    separated by commas or "và": "5 nhà mạng là Viettel, VinaPhone, MobiFone, Vietnamobile và
    GTel". An item ends or begins with a capitalised word (the first and the last item carry
    the sentence around the list)."""
    text = sentence.text
    items: list[tuple[int, int, bool]] = []
    position = 0
    for separator in [*_ITEM_SEPARATOR.finditer(text), None]:
        end = separator.start() if separator else len(text)
        words = text[position:end].split()
        named = bool(words) and (words[0][:1].isupper() or words[-1][:1].isupper())
        items.append((position, end, named))
        position = separator.end() if separator else len(text)
    runs = []
    run: list[tuple[int, int, bool]] = []
    for item in [*items, (0, 0, False)]:
        if item[2]:
            run.append(item)
            continue
        if len(run) >= LIST_NAMES:
            runs.append((sentence.start + run[0][0], sentence.start + run[-1][1]))
        run = []
    return runs


def salience_of(f: Features) -> str:
    """The documented rules, first that applies wins:

    1. named only in lists (of LIST_NAMES tickers or names: a market roundup, "5 nhà mạng là
       Viettel, VinaPhone, MobiFone, …") → passing; the other features count only mentions
       outside lists; named only by its ticker, outside the title and lead → passing (a market
       report's line about a stock);
    2. in the title of an article naming fewer than CROWDED organisations → main;
    3. named in MAIN_SHARE of the sentences, or in the lead and MAIN_LEAD_SHARE, or, the only
       organisation named, in MAIN_ALONE_SHARE (at least SECONDARY_MIN_SENTENCES) → main;
    4. in the title (of a crowded article) or the lead, or in SECONDARY_SHARE of the sentences
       (at least SECONDARY_MIN_SENTENCES), or in SECONDARY_SENTENCES sentences, or a role
       speaking for it is quoted ("Phó Tổng Giám đốc Viettel … cho biết") → secondary;
    5. otherwise → passing.
    A member company counts as its organisation (EVNNPC's article is about EVN's coverage).
    """
    crowded = f.organisations >= CROWDED
    if f.listed_only or (f.tickers_only and not f.in_title and not f.in_lead):
        return "passing"
    if f.in_title and not crowded:
        return "main"
    if f.share >= MAIN_SHARE or (f.in_lead and f.share >= MAIN_LEAD_SHARE):
        return "main"
    if f.organisations == 1 and f.share >= MAIN_ALONE_SHARE and f.sentences >= SECONDARY_MIN_SENTENCES:
        return "main"
    if (
        f.in_title
        or f.in_lead
        or (f.share >= SECONDARY_SHARE and f.sentences >= SECONDARY_MIN_SENTENCES)
        or f.sentences >= SECONDARY_SENTENCES
        or f.quoted
    ):
        return "secondary"
    return "passing"


@dataclass(frozen=True)
class ToneSentence:
    text: str
    cue_from: int | None  # where the organisation is first named in it; None: the sentence after


def tone_sentences(mentions: Sequence[Mention], *, title: str, lead: str, body: str) -> dict[str, list[ToneSentence]]:
    """What the tone toward each organisation is read from: the sentences naming it, each
    with the sentence after it (Vietnamese news often goes on about the subject without
    naming it again), the first CONTEXT_SENTENCES of them, in reading order."""
    fields = {"title": title, "lead": lead, "body": body}
    all_sentences = [s for s in _sentences(fields) if s.field != "title"]
    naming: dict[str, dict[int, int]] = {}  # key → sentence index → offset of its first mention
    for mention in mentions:
        for index, sentence in enumerate(all_sentences):
            if sentence.field == mention.field and sentence.start <= mention.start < sentence.end:
                offsets = naming.setdefault(mention.key, {})
                offset = mention.start - sentence.start
                offsets[index] = min(offset, offsets.get(index, offset))
                break
    result = {}
    for key in dict.fromkeys(m.key for m in mentions):
        offsets = naming.get(key, {})
        picked: dict[int, int | None] = {}
        for index in sorted(offsets)[:CONTEXT_SENTENCES]:
            picked[index] = offsets[index]
            following = index + 1
            if following < len(all_sentences) and all_sentences[following].field == all_sentences[index].field:
                picked.setdefault(following, None)
        result[key] = [ToneSentence(all_sentences[i].text, picked[i]) for i in sorted(picked)]
    return result


def tone_contexts(mentions: Sequence[Mention], *, title: str, lead: str, body: str) -> dict[str, str]:
    """The sentences of `tone_sentences` as one text per organisation (to show what was read)."""
    return {
        key: " ".join(s.text.strip() for s in picked)
        for key, picked in tone_sentences(mentions, title=title, lead=lead, body=body).items()
    }


_CUE_WORD = re.compile(r"\w+")


@functools.cache
def load_cues(path: Path = CUES_PATH) -> dict[tuple[str, ...], float]:
    """Lower-cased words of each event term → signed weight (tone_cues_vi.tsv)."""
    cues: dict[tuple[str, ...], float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        weight = float(parts[2]) if len(parts) > 2 else 1.0
        cues[tuple(_CUE_WORD.findall(normalize(parts[0]).lower()))] = float(parts[1]) * weight
    return cues


def cue_hits(text: str, cues: dict[tuple[str, ...], float] | None = None) -> list[tuple[int, str, float]]:
    """(offset, term, weight) of each event term in `text`, longest first, without overlaps;
    matched with diacritics (folded, "lãi" would be "lại")."""
    cues = load_cues() if cues is None else cues
    longest = max((len(term) for term in cues), default=0)
    words = list(_CUE_WORD.finditer(text.lower()))
    found = []
    index = 0
    while index < len(words):
        for size in range(min(longest, len(words) - index), 0, -1):
            term = tuple(w.group() for w in words[index : index + size])
            if term in cues:
                found.append((words[index].start(), " ".join(term), cues[term]))
                index += size
                break
        else:
            index += 1
    return found


def cue_score(picked: Sequence[ToneSentence], cues: dict[tuple[str, ...], float] | None = None) -> float:
    """The events reported toward the organisation, in [-1, 1]: in each sentence naming it,
    the weights of the event terms after its first mention (Vietnamese puts the subject
    first: "PVN thua lỗ", while in "cướp ngân hàng Vietcombank" the bank is the victim),
    clipped to [-1, 1]; summed over the sentences and clipped again."""
    total = 0.0
    for sentence in picked:
        if sentence.cue_from is None:
            continue
        weights = [w for offset, _term, w in cue_hits(sentence.text, cues) if offset >= sentence.cue_from]
        total += max(-1.0, min(1.0, sum(weights)))
    return max(-1.0, min(1.0, total))


def tone_label(polarity: float) -> str:
    if polarity <= NEGATIVE_BELOW:
        return "negative"
    if polarity >= POSITIVE_ABOVE:
        return "positive"
    return "neutral"


def judge(mentions: Sequence[Mention], *, title: str, lead: str, body: str, tones: Tones) -> dict[str, Judgement]:
    """Salience and tone toward each organisation named by `mentions` (from `Matcher.find` on
    the same normalised title, lead and body). `tones` is the sentiment classifier, called
    once with the title and each sentence the tone reads.

    Tone: the mean polarity of the organisation's sentences (`tone_sentences`, each read
    apart), plus CUE_WEIGHT × `cue_score` (events reported after its name); for a main
    organisation, mixed with the title's (TITLE_WEIGHT), as the headline is about it; an
    organisation named only in the title takes the title's. Labelled by NEGATIVE_BELOW and
    POSITIVE_ABOVE.
    """
    if not mentions:
        return {}
    found = features(mentions, title=title, lead=lead, body=body)
    picked = tone_sentences(mentions, title=title, lead=lead, body=body)
    keys = list(found)
    texts = list(dict.fromkeys([title, *(s.text for k in keys for s in picked[k] if s.text.strip())]))
    polarity_of = {text: float(p) for text, (_label, p) in zip(texts, tones(texts), strict=True)}
    title_polarity = polarity_of[title] if title.strip() else 0.0
    result = {}
    for key in keys:
        salience = salience_of(found[key])
        read = [polarity_of[s.text] for s in picked[key] if s.text.strip()]
        if not read:
            polarity = title_polarity
        else:
            polarity = sum(read) / len(read) + CUE_WEIGHT * cue_score(picked[key])
            if salience == "main" and title.strip():
                polarity = TITLE_WEIGHT * title_polarity + (1 - TITLE_WEIGHT) * polarity
        polarity = max(-1.0, min(1.0, polarity))
        result[key] = Judgement(key, salience, tone_label(polarity), round(polarity, 3))
    return result
