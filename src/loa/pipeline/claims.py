"""Finding new coverage that repeats a registered claim, in its own or in other words.

A claim is matched two ways. Its match rule, a saved query, is evaluated in memory with the
query language of `loa.text.query` (the very matcher analysis uses for saved queries), so a
rule match does not depend on the search index. And each article is compared with the claim's
examples: texts staff wrote or confirmed as saying the claim (positive) and near misses they
rejected (negative).

Why our own: no library available offline compares Vietnamese paraphrases. Multilingual
sentence encoders need weights from a model hub, which Loa does not download; fastText/gensim
give word vectors but no sentence comparison. The project already trains syllable vectors on
its own news (`loa model vectors`, `loa-vectors.npz`), so the comparison is built on them:

- Text is normalised (`loa.text.normalize`) and split into syllables (`vectors.tokens`).
- Weights: an IDF estimated from each syllable's frequency rank in the vectors table, which
  word2vec orders by frequency. Zipf's law (frequency ∝ 1/rank) makes log(rank) the IDF up to
  a constant: idf = log(1 + rank / 10). "và" weighs ~0, "than" ~5; a syllable outside the
  table (rarer than all 21 843 kept) weighs as the rarest one.
- Soft alignment (the greedy matching of BERTScore, Zhang et al. 2020, with IDF weights, over
  word vectors instead of contextual ones): each syllable of the example is aligned with the
  most similar syllable of the passage, identical = 1, otherwise the cosine rescaled above a
  floor, (cos − 0.4) / 0.6 × 0.8, so that unrelated words add nothing and a near word never
  counts as much as the same word. Recall = IDF-weighted mean over the example's syllables,
  precision = over the passage's; F-beta with beta 3 favours recall, since an article says more
  than the claim.
- Exact overlap: the share of the example's syllable bigrams ("giá điện", "bán rẻ") found in
  the passage, IDF-weighted; it rewards word order that single syllables lose.
- Score = 0.7 × soft F + 0.3 × bigram overlap, averaged over the positive examples (pooled:
  a passage must resemble what the examples say together, not one of them by the names it
  shares with it), best over passages: the title, and every window of one or two consecutive
  sentences of lead and body (the first 60 sentences only, so a long article costs a bounded
  time). Until the second round below, the best over the examples was taken instead.
- Cost: an article is cut and its syllables' vectors read once per batch (`Weights.article`);
  each example is aligned with the whole article in one matrix product, and every window's
  score is read from that product. At most 20 examples of each kind per claim (the first 5 and
  the latest 15).
- A denial ("sai sự thật", "bác bỏ"…) in the passage is reporting on the claim, not repeating
  it: its score is multiplied by 0.6.
- Negative examples: the same score against each rejected text; an article that comes at least
  as close to a negative (any passage) as to any one positive (its best passage: like against
  like, not against the pooled score) is not proposed,
  and not by its rule either when that closeness passes the bar.

Syllable vectors are weak on antonyms (tăng/giảm 0.78, mua/bán 0.77): they sit close because
they share contexts. The bigram term and the threshold keep those from deciding alone.

Evaluation (tests/claims/fixtures; weights and threshold chosen on DEV only, TEST run after):
- on DEV, a grid over soft weight 0.5–1.0, floor 0.4–0.6, ceiling 0.6–1.0 and beta 1–3: the
  margin (worst paraphrase − best decoy) was 0.026 for the first guess (0.7, 0.5, 0.8, 2) and
  0.036 to 0.042 for the fifteen best settings, all with floor 0.4: a flat top. The ceiling 0.8
  was kept over 1.0 (0.037 against 0.041) for the reason given. Without the denial discount,
  DEV's denial decoy scores 0.432, above every paraphrase; with it 0.259.
- first method, one fixed bar (0.35, midway between DEV's best decoy 0.331 and worst
  paraphrase 0.368): DEV 5/5 paraphrases, 0/15 decoys; TEST 2/5, 0/15 (failed). TEST ranked
  every paraphrase above every decoy (0.291 against 0.273) but its scores sat lower: a fixed
  bar does not carry from one claim to another.
- changed after seeing that TEST result: each claim's bar is calibrated on its own examples
  (leave one out, × 1.21, fixed on DEV so that DEV's bar stays 0.35, capped at 0.35). DEV 5/5,
  0/15 (bar 0.35); TEST 5/5, 0/15 (bar 0.285; weakest paraphrase 0.291, best decoy 0.273).
  TEST was therefore seen twice and is no longer a blind set; the margins are thin.

Two later sets, written by other people (fixtures pvn-dungquat.json, vna-bankrupt.json), fail
the bar with this matcher: PVN 4/5 found but 1/15 decoy ("PVN nộp ngân sách vượt kế hoạch"
0.428, which shares the enterprise's full name, "nhà nước", "tỷ đồng"); VNA 2/5, 0/15. Margins
(worst paraphrase − best decoy), the figure that calibration cannot repair: DEV +0.037,
TEST +0.018, PVN −0.079, VNA −0.053. A second round used all four sets for development (no
change kept; the lead had already tried the claim's statement as an example, down-weighting
capitalised syllables, soft bigrams, and weighting by consensus across examples):
- grid over cosine floor 0.3–0.5, ceiling 0.8/1.0, beta 2/3/5, soft weight 0.5–1.0 (72
  settings): none has all four margins positive; the best worst case is −0.034. Dropping the
  bigram term (soft weight 1.0) helps PVN (bigrams reward the enterprise's multi-syllable
  name) and hurts DEV.
- flattening the IDF (idf^p): p 1.5–3 widens DEV/TEST (up to +0.067/+0.075) and sinks VNA
  (−0.08 to −0.17), whose paraphrases share common words with the examples ("bay", "nợ")
  rather than rare ones. p 0.25, floor 0.3, no bigrams, beta 5 is the only setting found with
  all four margins positive: DEV +0.006, TEST +0.017, PVN +0.011, VNA +0.005, i.e. it lowers
  DEV and TEST to gain PVN and VNA, with margins too thin to calibrate: the leave-one-out
  factor that separates decoys from the fourth paraphrase is 1.110–1.325 on DEV, 1.110–1.207
  on TEST, 1.066–1.118 on PVN, 1.050–1.086 on VNA — no single factor suits all four (the
  neighbouring settings are just as disjoint). Not kept: a knife edge tuned on the four sets.
- a background margin: score minus λ × the article's score against a text made of the
  claims' capitalised names (what any article on the enterprise shares). λ 0.1–0.2 lifts PVN
  (to +0.034) and VNA (to +0.014) and costs DEV and TEST as much (DEV −0.017 at λ 0.2); no λ
  improves all four. Not kept.
- char n-gram TF-IDF (sklearn, char_wb 1–3/2–4/3–5, IDF fitted on the examples and the
  article's sentences), cosine fused with weight 0.2–1.0: every weight lowers DEV, TEST and
  VNA (at 0.2: +0.012, +0.006, −0.058); PVN gains a little (−0.070). Not kept.
- phrase vectors (the sum of two syllables' vectors, "phá sản"·"vỡ nợ" 0.54) aligned softly
  in place of exact bigrams: best worst case −0.013 (with idf^0.5), no better than above.
- the decision's shape. Per passage, the score is the BEST over the examples; pooling them
  instead (the MEAN over the examples, so a passage must resemble what they say together and
  not one of them by its names): DEV +0.020, TEST +0.039, PVN +0.015, VNA −0.043 — better on
  three sets, worse on DEV. Concatenating the examples gives about the same (+0.002, +0.044,
  +0.021, −0.038); requiring every example (the minimum) is worse everywhere. Pooled, the
  bigram term no longer helps: without it +0.028, +0.054, +0.065, −0.038, and with idf^0.75
  +0.029, +0.055, +0.083, −0.025; but the leave-one-out bar then fits the four sets only
  within factors 0.957–0.970. Pooled with bigrams, a factor 1.04 (common window 1.019–1.056)
  gives DEV 5/5 0/15, TEST 5/5 0/15, PVN 4/5 0/15, VNA 1/5 1/15 (Pacific Airlines' suspension
  0.246 against a bar of 0.241): three sets pass instead of two, but not on all four and
  DEV's margin halves. Kept (pooled, factor 1.04): it is the only change found that improves
  the pass/fail outcome without a rule for one set, and the worst margin (−0.079 → −0.043).
The pattern across these: every change that separates PVN's and VNA's decoys does so by
trusting names and rare words less, which is what separates DEV's and TEST's. Syllable vectors
and their frequency do not carry the accusation itself ("bán rẻ", "phá sản" against "vỡ nợ",
"giá bèo"); a better unit of meaning, or staff feedback (negative examples), is what is left.
Not tried: word segmentation into compounds (pyvi is not installed in the project's venv).

Blind sets (bench/labels/claims/blind-*.json), written with PVN and VNA by someone who had read
neither matcher, run once on both candidates at the end: first matcher Viettel 5/5 but 3/15
decoys (margin −0.019), VNR 3/5, 1/15 (−0.163); pooled Viettel 4/5, 0/15 (−0.022), VNR 3/5,
1/15 (−0.118). The pooled matcher was kept on that one comparison. Over all six sets it meets
the bar on four (DEV, TEST, PVN, Viettel) and fails on VNA and VNR: without staff feedback, the
matcher proposes a claim's paraphrases in most but not all cases, and its first days need a
reader's confirmations and rejections. `make bench` prints every set.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from loa.pipeline.vectors import WordVectors, tokens
from loa.text.normalization import normalize
from loa.text.query import Document, QueryError, has_positive, matches, parse
from loa.text.tokens import sentences

MAX_SENTENCES = 60  # of lead and body together, per article
MAX_EXAMPLE_CHARS = 2000  # an example is a passage, not an article
THRESHOLD = 0.35  # midway between the best DEV decoy (0.331) and the worst DEV paraphrase (0.368)
# A claim's own bar: its examples scored against each other (leave one out, pooled), times this
# factor: mid of the window (1.019–1.056) where DEV finds 5/5, TEST and PVN at least 4/5, with
# no decoy. Never above THRESHOLD; never below FLOOR, a safety for examples that have nothing
# in common (not tuned).
CALIBRATION = 1.04
FLOOR = 0.2
MAX_CALIBRATION_EXAMPLES = 8
MAX_EXAMPLES = 20  # of each kind, per claim
KEPT_FIRST = 5
SOFT_WEIGHT = 0.7
COS_FLOOR = 0.4
SOFT_CEILING = 0.8
BETA = 3.0
DENIAL_FACTOR = 0.6
# Words that mark a text reporting a claim as false rather than making it.
DENIALS = (
    "sai sự thật",
    "không đúng sự thật",
    "bác bỏ",
    "không có cơ sở",
    "tin giả",
    "thông tin sai",
    "sai lệch",
)


@dataclass(frozen=True)
class Example:
    text: str
    positive: bool = True


@dataclass(frozen=True)
class Passage:
    text: str
    score: float


@dataclass(frozen=True)
class Match:
    """How an article matched a claim: by rule, by similarity, or both; the best score and the
    passage that gave it (kept as an example when staff confirm or reject the match)."""

    rule: bool
    similar: bool
    score: float
    passage: str

    @property
    def matched(self) -> bool:
        return self.rule or self.similar


@dataclass
class _Prepared:
    """An example: its syllables, their IDF weights, rows in the vector table (-1 outside)
    and ids for exact comparison, and its bigrams with their weights."""

    words: list[str]
    weights: np.ndarray
    rows: np.ndarray
    ids: np.ndarray
    bigrams: dict[tuple[str, str], float]
    vectors: np.ndarray | None = None


@dataclass
class Prepared:
    """An article cut into units (its title, then up to MAX_SENTENCES sentences of lead and
    body), prepared once and compared with every claim of a batch. The passages compared are
    windows of units: the title alone, each sentence, and each two consecutive sentences."""

    texts: list[str]
    words: list[str]
    weights: np.ndarray
    rows: np.ndarray
    ids: np.ndarray
    bounds: list[tuple[int, int]]
    denies: list[bool]
    bigrams: list[set[tuple[str, str]]]
    windows: list[tuple[int, ...]]
    vectors: np.ndarray | None = None  # float32 rows of the syllables, zero outside the table

    def passage(self, window: tuple[int, ...]) -> str:
        return " ".join(self.texts[u] for u in window)


@dataclass
class Weights:
    """Rank-based IDF and the vectors; shared by every claim of a batch."""

    vectors: WordVectors | None
    _unit: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.vectors is not None:
            self._unit = np.asarray(self.vectors.matrix, dtype=np.float32)
        size = len(self.vectors.words) if self.vectors is not None else 20000
        self.rarest = math.log(1 + size / 10)
        self._ids: dict[str, int] = {}

    def idf(self, word: str) -> float:
        if self.vectors is None or word not in self.vectors.index:
            return self.rarest
        return math.log(1 + self.vectors.index[word] / 10)

    def _arrays(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        index = self.vectors.index if self.vectors is not None else {}
        weights = np.asarray([self.idf(w) for w in words], dtype=np.float32)
        rows = np.asarray([index.get(w, -1) for w in words], dtype=np.int64)
        ids = np.asarray([self._ids.setdefault(w, len(self._ids)) for w in words], dtype=np.int64)
        return weights, rows, ids

    def example(self, text: str) -> _Prepared:
        words = tokens(normalize(text))
        weights, rows, ids = self._arrays(words)
        bigrams: dict[tuple[str, str], float] = {}
        for (left, right), (wl, wr) in zip(itertools.pairwise(words), itertools.pairwise(weights), strict=True):
            bigrams[(left, right)] = float(wl + wr)
        return _Prepared(words, weights, rows, ids, bigrams, self._vectors(rows))

    def article(self, title: str, lead: str = "", body: str = "") -> Prepared:
        texts = article_units(title, lead, body)
        return self._units(texts, titled=bool(title and title.strip()))

    def single(self, text: str) -> Prepared:
        """A text compared whole, as one passage (an example held out in calibration)."""
        return self._units([text], titled=True)

    def _units(self, texts: list[str], *, titled: bool) -> Prepared:
        words: list[str] = []
        bounds = []
        bigrams = []
        cut = [(t, tokens(normalize(t))) for t in texts]
        cut = [(t, w) for t, w in cut if w]  # a unit has at least one syllable
        texts = [t for t, _w in cut]
        for _text, unit_words in cut:
            bounds.append((len(words), len(words) + len(unit_words)))
            words += unit_words
            bigrams.append(set(itertools.pairwise(unit_words)))
        weights, rows, ids = self._arrays(words)
        first = 1 if titled else 0
        windows: list[tuple[int, ...]] = [(0,)] if titled and texts else []
        windows += [(u,) for u in range(first, len(texts))]
        windows += [(u, u + 1) for u in range(first, len(texts) - 1)]
        denies = [_denies(t) for t in texts]
        return Prepared(texts, words, weights, rows, ids, bounds, denies, bigrams, windows, self._vectors(rows))

    def _vectors(self, rows: np.ndarray) -> np.ndarray | None:
        """The syllables' vectors, read once per text (the alignment multiplies them)."""
        if self._unit is None:
            return None
        found: np.ndarray = self._unit[np.maximum(rows, 0)]
        found[rows < 0] = 0
        return found

    def alignment(self, example: _Prepared, article: Prepared) -> np.ndarray:
        """Similarity of each syllable of the example with each of the article: 1 when the
        same, the rescaled cosine otherwise (0 when either is outside the table)."""
        same: np.ndarray = (example.ids[:, None] == article.ids[None, :]).astype(np.float32)
        if example.vectors is None or article.vectors is None or not example.words or not article.words:
            return same
        # Rows outside the table are zero vectors: cosine 0, below the floor, so they add nothing.
        cos = example.vectors @ article.vectors.T
        soft = np.clip((cos - COS_FLOOR) / (1 - COS_FLOOR), 0, 1) * SOFT_CEILING
        aligned: np.ndarray = np.maximum(same, soft)
        return aligned


def _denies(text: str) -> bool:
    lowered = normalize(text).lower()
    return any(cue in lowered for cue in DENIALS)


def article_units(title: str, lead: str, body: str, *, max_sentences: int = MAX_SENTENCES) -> list[str]:
    """The title, then the sentences of lead and body with at least three syllables (the
    first `max_sentences` only: a long article costs a bounded time)."""
    found: list[str] = []
    for part in (lead, body):
        for span in sentences(normalize(part or "")):
            text = span.text.strip()
            if len(tokens(text)) >= 3:
                found.append(text)
            if len(found) >= max_sentences:
                return ([title.strip()] if title and title.strip() else []) + found
    return ([title.strip()] if title and title.strip() else []) + found


def article_passages(title: str, lead: str, body: str) -> list[str]:
    """The passages an article is compared by: the title, each sentence, each two consecutive."""
    article = Weights(None).article(title, lead, body)
    return [article.passage(w) for w in article.windows]


def _window_scores(example: _Prepared, article: Prepared, grid: np.ndarray) -> np.ndarray:
    """The score of the example against every window of the article, from one alignment of
    the example with the whole article (a window's recall takes each example syllable's best
    match over its units; its precision pools its units' syllables)."""
    starts = np.asarray([start for start, _end in article.bounds], dtype=np.int64)
    per_unit = np.maximum.reduceat(grid, starts, axis=1).T  # units × example syllables
    pnum = np.add.reduceat(grid.max(axis=0) * article.weights, starts)
    pden = np.add.reduceat(article.weights, starts)
    first = np.asarray([w[0] for w in article.windows], dtype=np.int64)
    last = np.asarray([w[-1] for w in article.windows], dtype=np.int64)
    pair = first != last
    total_recall = float(example.weights.sum())
    recall = (np.maximum(per_unit[first], per_unit[last]) @ example.weights) / max(total_recall, 1e-9)
    precision = (pnum[first] + np.where(pair, pnum[last], 0)) / np.maximum(
        pden[first] + np.where(pair, pden[last], 0), 1e-9
    )
    b2 = BETA * BETA
    soft = np.where(
        recall + precision > 0, (1 + b2) * precision * recall / np.maximum(b2 * precision + recall, 1e-9), 0.0
    )
    total_bigrams = sum(example.bigrams.values())
    bigram = np.zeros(len(article.windows), dtype=np.float64)
    if total_bigrams > 0:
        keys = example.bigrams.keys()
        found = [unit & keys for unit in article.bigrams]
        for i, window in enumerate(article.windows):
            present = found[window[0]] | found[window[-1]]
            if len(window) == 2:
                left, right = article.bounds[window[0]], article.bounds[window[1]]
                junction = (article.words[left[1] - 1], article.words[right[0]])
                if junction in keys:
                    present = present | {junction}
            bigram[i] = sum(example.bigrams[p] for p in present) / total_bigrams
    scores: np.ndarray = SOFT_WEIGHT * soft + (1 - SOFT_WEIGHT) * bigram
    return scores


class Matcher:
    """A claim's rule and examples, prepared once and compared with many articles."""

    def __init__(
        self,
        *,
        weights: Weights,
        examples: Iterable[Example],
        query: str = "",
        threshold: float | None = None,
    ) -> None:
        self.weights = weights
        positives: list[_Prepared] = []
        negatives: list[_Prepared] = []
        for example in examples:
            text = example.text.strip()[:MAX_EXAMPLE_CHARS]
            if not tokens(text):
                continue
            (positives if example.positive else negatives).append(weights.example(text))
        self.positives = _bounded(positives)
        self.negatives = _bounded(negatives)
        try:
            node = parse(query) if query.strip() else None
            self.node = node if has_positive(node) else None
        except QueryError:
            self.node = None  # a rule that no longer parses matches nothing; similarity still works
        self.threshold = self.calibrated() if threshold is None else threshold

    def calibrated(self) -> float:
        """The bar for this claim: how close its positive examples are to each other. Claims
        said in varied words get a lower bar than claims whose examples repeat each other."""
        positives = self.positives[:MAX_CALIBRATION_EXAMPLES]
        if len(positives) < 2:
            return THRESHOLD
        scores = []
        for i, held_out in enumerate(positives):
            others = [p for j, p in enumerate(positives) if j != i]
            whole = self.weights.single(" ".join(held_out.words))
            scores.append(float(self._scores(whole, others).max()))
        mean = sum(scores) / len(scores)
        return max(FLOOR, min(THRESHOLD, CALIBRATION * mean))

    def _per_example(self, article: Prepared, examples: Sequence[_Prepared], *, denials: bool = True) -> np.ndarray:
        """The score of each window (columns) against each example (rows), denials discounted."""
        found = [
            _window_scores(example, article, self.weights.alignment(example, article))
            for example in examples
            if example.words and article.words
        ]
        if not found:
            return np.zeros((1, len(article.windows)), dtype=np.float64)
        stacked: np.ndarray = np.vstack(found)
        if denials:
            denied = np.asarray([any(article.denies[u] for u in w) for w in article.windows], dtype=bool)
            stacked[:, denied] *= DENIAL_FACTOR
        return stacked

    def _scores(self, article: Prepared, examples: Sequence[_Prepared]) -> np.ndarray:
        """The score of each window: its mean over the examples (pooled, see the docstring: a
        passage must resemble what the examples say together, not one of them by its names)."""
        pooled: np.ndarray = self._per_example(article, examples).mean(axis=0)
        return pooled

    def best(self, title: str, lead: str = "", body: str = "") -> Passage:
        """The passage of the article closest to the positive examples, with its score
        (0 when a negative is at least as close)."""
        return self._compare(self.weights.article(title, lead, body))[0]

    def _compare(self, article: Prepared) -> tuple[Passage, float]:
        """The passage closest to the positive examples, and the closest any passage comes to
        a negative one. When a negative is at least as close, the article says what staff
        rejected rather than the claim: the best passage then scores 0."""
        if not self.positives or not article.windows:
            return Passage("", 0.0), 0.0
        each = self._per_example(article, self.positives)
        scores = each.mean(axis=0)
        top = int(scores.argmax())
        best = Passage(article.passage(article.windows[top]), float(scores[top]))
        if not self.negatives:
            return best, 0.0
        # Like is compared with like: the closest single negative against the closest single
        # positive (a pooled score would sit below any one example's).
        negative = float(self._per_example(article, self.negatives, denials=False).max())
        if negative >= float(each.max()):
            return Passage(best.text, 0.0), negative
        return best, 0.0

    def rule_matches(self, title: str, lead: str = "", body: str = "") -> bool:
        if self.node is None:
            return False
        return matches(self.node, Document(f"{title}\n{lead}\n{body}"))

    def match(self, title: str, lead: str = "", body: str = "", *, prepared: Prepared | None = None) -> Match:
        """How the article matches the claim; `prepared` is the article already cut and
        prepared by the same Weights (once for every claim of a batch)."""
        best, rejected = self._compare(prepared or self.weights.article(title, lead, body))
        # An article that says what staff rejected, more than the claim, is not proposed by the
        # rule either: the rejection is about this wording, whatever query found it.
        like_rejected = rejected >= self.threshold
        return Match(
            rule=self.rule_matches(title, lead, body) and not like_rejected,
            similar=best.score >= self.threshold,
            score=round(best.score, 4),
            passage=best.text,
        )


def _bounded(examples: list[_Prepared]) -> list[_Prepared]:
    """The examples compared: the first ones (what staff registered) and the latest ones
    (what they confirmed or rejected lately), so a claim with a long history costs a bounded
    time per article."""
    if len(examples) <= MAX_EXAMPLES:
        return examples
    return examples[:KEPT_FIRST] + examples[-(MAX_EXAMPLES - KEPT_FIRST) :]


_SPACE = re.compile(r"\s+")


def passage_of(text: str, *, limit: int = MAX_EXAMPLE_CHARS) -> str:
    """A passage cleaned to keep as an example."""
    return _SPACE.sub(" ", text).strip()[:limit]
