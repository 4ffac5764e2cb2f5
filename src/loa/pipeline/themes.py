"""The bloc's themes: each theme starts from its rule (a query in Loa's search syntax) and,
once staff have confirmed enough examples, learns a small classifier that weighs the rule
against the words of the article.

Plain Python (no Django). The learned part is a logistic regression per theme over word and
word-pair TF-IDF of the article's head plus one feature, "the rule matches"; it is stored as
one JSON file (vocabulary, IDF, the non-negligible weights), so reading it needs neither
scikit-learn nor pickle. A theme with fewer than `MIN_POSITIVES` confirmed examples (or
without confirmed counter-examples) is assigned by its rule alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from loa.text.folding import fold_chars
from loa.text.normalization import normalize
from loa.text.query import Document, Node, QueryError, matches, parse, positive_phrases

SEED_PATH = Path(__file__).resolve().parent.parent / "analysis" / "seed" / "themes.yaml"
# Staff must have confirmed at least this many articles of a theme (and as many without it)
# before its classifier is trusted over the rule alone.
MIN_POSITIVES = 8
MIN_NEGATIVES = 8
# What rules and the classifier read: the title, the lead and the start of the body. The
# whole body of a long article names every theme in passing; its head says what it is about.
BODY_CHARS = 800
# Regularisation of the per-theme classifiers: small data, so strong enough to lean on the rule.
C = 1.0
THRESHOLD = 0.5
# Weights smaller than this are dropped from the artefact; scores move in the third digit.
WEIGHT_FLOOR = 1e-3
ARTEFACT_FORMAT = 1
RULE_FEATURES = 3  # len(RuleEvidence.features())
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ThemeSpec:
    """A theme as the learner sees it: its stable key and its rule (may be empty)."""

    key: str
    rule: str = ""
    name: str = ""


@dataclass(frozen=True)
class Example:
    """An article staff have labelled: the text themes read, and the keys of its themes."""

    text: str
    keys: frozenset[str]


# The labels of the DANeS model (consumer-news topics), kept only behind LOA_TOPICS=danes.
DANES_PREFIX = "danes-"
DANES_LABELS = (
    "Bất động sản", "Chính trị", "Chứng khoán", "Covid-19", "Công nghệ", "Du lịch", "Game", "Giao thông",
    "Giáo dục", "Giải trí", "Hóng biến", "Khoa học", "Không xác định", "Kinh tế", "Môi trường", "Phim ảnh",
    "Pháp luật", "Sức khỏe", "Thế giới", "Thể thao", "Văn hóa", "Xã hội", "Đời sống",
)  # fmt: skip
_SLUG = re.compile(r"[^a-z0-9]+")


def key_of(name: str, *, prefix: str = "") -> str:
    """A stable ASCII key for a topic name: "Giá điện, xăng dầu" → "gia-dien-xang-dau"."""
    slug = _SLUG.sub("-", fold_chars(normalize(name)).lower()).strip("-")
    return (prefix + (slug or "topic"))[:50].strip("-")


def load_seed(path: Path = SEED_PATH) -> list[ThemeSpec]:
    """The themes Loa starts with (key, name, rule), in their order."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [ThemeSpec(key=str(e["key"]), rule=str(e.get("rule") or ""), name=str(e["name"])) for e in entries]


def theme_text(title: str, lead: str = "", body: str = "") -> str:
    """The part of an article rules and the classifier read (see BODY_CHARS)."""
    head = body[:BODY_CHARS]
    if len(body) > BODY_CHARS:
        # Cut at a word boundary, so the last word is not a fragment that matches by accident.
        head = head.rsplit(" ", 1)[0]
    return normalize("\n".join(part for part in (title.strip(), lead.strip(), head.strip()) if part))


def compile_rule(rule: str) -> Node | None:
    """The rule as a query tree; None for an empty or unreadable rule (a theme without a rule)."""
    if not rule.strip():
        return None
    try:
        return parse(rule)
    except QueryError:
        return None


@dataclass(frozen=True)
class RuleEvidence:
    """What a rule says about a text, as the classifier weighs it: whether it matches, whether it
    matches the title alone, and how often its phrases occur (one passing word or many)."""

    hit: bool
    in_title: bool
    occurrences: int

    def features(self) -> list[float]:
        return [float(self.hit), float(self.in_title), math.log1p(self.occurrences) if self.hit else 0.0]


def rule_evidence(node: Node | None, text: str, document: Document | None = None) -> RuleEvidence:
    """The rule's evidence in a text made by `theme_text` (its first line is the title);
    `document` is that text's, when the caller has it already."""
    document = document or Document(text)
    hit = matches(node, document)
    if not hit:
        return RuleEvidence(False, False, 0)
    title = text.split("\n", 1)[0]
    occurrences = sum(len(document.phrase_starts(phrase)) for phrase in set(positive_phrases(node)))
    return RuleEvidence(True, matches(node, Document(title)), occurrences)


def terms(text: str) -> list[str]:
    """Words and word pairs of the lower-cased text: Vietnamese words are often two syllables."""
    words = _WORD.findall(text.lower())
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


@dataclass
class LearnedTheme:
    intercept: float
    rule_weights: list[float]  # of RuleEvidence.features()
    weights: dict[int, float]
    positives: int
    negatives: int


@dataclass
class Learned:
    """The trained part: a shared vocabulary with IDF, and one classifier per theme learned."""

    vocabulary: dict[str, int]
    idf: list[float]
    themes: dict[str, LearnedTheme]
    card: dict[str, Any] = field(default_factory=dict)

    def vector(self, text: str) -> dict[int, float]:
        """Sublinear TF-IDF over the vocabulary, L2-normalised (as scikit-learn computes it)."""
        counts = Counter(self.vocabulary[t] for t in terms(text) if t in self.vocabulary)
        values = {i: (1.0 + math.log(n)) * self.idf[i] for i, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values()))
        return {i: v / norm for i, v in values.items()} if norm else {}

    def probability(self, key: str, vector: dict[int, float], evidence: RuleEvidence) -> float:
        theme = self.themes[key]
        score = theme.intercept + sum(w * f for w, f in zip(theme.rule_weights, evidence.features(), strict=True))
        score += sum(theme.weights.get(i, 0.0) * v for i, v in vector.items())
        return _sigmoid(score)

    def save(self, path: Path) -> int:
        vocabulary = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        data = {
            "format": ARTEFACT_FORMAT,
            "card": self.card,
            "vocabulary": vocabulary,
            "idf": [round(v, 5) for v in self.idf],
            "themes": {
                key: {
                    "intercept": round(t.intercept, 5),
                    "rule_weights": [round(w, 5) for w in t.rule_weights],
                    "positives": t.positives,
                    "negatives": t.negatives,
                    "weights": {str(i): round(w, 4) for i, w in sorted(t.weights.items())},
                }
                for key, t in sorted(self.themes.items())
            },
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        return path.stat().st_size

    @classmethod
    def load(cls, path: Path) -> Learned:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != ARTEFACT_FORMAT:
            raise ValueError(f"{path} does not hold Loa's learned themes")
        return cls(
            vocabulary={term: i for i, term in enumerate(data["vocabulary"])},
            idf=[float(v) for v in data["idf"]],
            themes={
                key: LearnedTheme(
                    intercept=float(t["intercept"]),
                    rule_weights=[float(w) for w in t["rule_weights"]],
                    weights={int(i): float(w) for i, w in t["weights"].items()},
                    positives=int(t["positives"]),
                    negatives=int(t["negatives"]),
                )
                for key, t in data["themes"].items()
            },
            card=dict(data.get("card") or {}),
        )


def train(themes: Sequence[ThemeSpec], examples: Sequence[Example], *, min_positives: int = MIN_POSITIVES) -> Learned:
    """One classifier per theme with at least `min_positives` confirmed articles (and
    MIN_NEGATIVES confirmed without it); the other themes keep their rule alone."""
    # Lazy: scikit-learn is needed to train, not to read the artefact.
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [e.text for e in examples]
    vectorizer = TfidfVectorizer(
        tokenizer=terms, token_pattern=None, lowercase=False, min_df=2, max_features=8000, sublinear_tf=True
    )
    learned = Learned(vocabulary={}, idf=[], themes={})
    if texts:
        try:
            matrix = vectorizer.fit_transform(texts)
        except ValueError:  # no term in two examples: nothing to learn from
            matrix = None
        if matrix is not None:
            learned.vocabulary = {str(t): int(i) for t, i in vectorizer.vocabulary_.items()}
            learned.idf = [float(v) for v in vectorizer.idf_]
            for theme in themes:
                truth = np.asarray([theme.key in e.keys for e in examples], dtype=int)
                positives, negatives = int(truth.sum()), int(len(truth) - truth.sum())
                if positives < min_positives or negatives < MIN_NEGATIVES:
                    continue
                node = compile_rule(theme.rule)
                evidence = np.asarray([rule_evidence(node, text).features() for text in texts])
                features = sparse.hstack([matrix, sparse.csr_matrix(evidence)]).tocsr()
                model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
                model.fit(features, truth)
                coef = model.coef_[0]
                learned.themes[theme.key] = LearnedTheme(
                    intercept=float(model.intercept_[0]),
                    rule_weights=[float(w) for w in coef[-RULE_FEATURES:]],
                    weights={i: float(w) for i, w in enumerate(coef[:-RULE_FEATURES]) if abs(w) >= WEIGHT_FLOOR},
                    positives=positives,
                    negatives=negatives,
                )
    digest = hashlib.sha256("\n".join(f"{e.text}\t{'|'.join(sorted(e.keys))}" for e in examples).encode()).hexdigest()
    learned.card = {
        "version": f"{dt.datetime.now(dt.UTC):%Y%m%d}-{digest[:8]}",
        "examples": len(examples),
        "data_sha256": digest,
        "learned": sorted(learned.themes),
        "rule_only": sorted(t.key for t in themes if t.key not in learned.themes),
        "min_positives": min_positives,
    }
    # The whole vocabulary stays in the file though most terms carry no weight: a text's
    # vector is normalised over all of them, as in training.
    return learned


class Tagger:
    """Assigns themes to articles: the learned classifier where there is one, else the rule."""

    def __init__(self, themes: Sequence[ThemeSpec], learned: Learned | None = None) -> None:
        self.themes = list(themes)
        self.rules = {t.key: compile_rule(t.rule) for t in self.themes}
        self.learned = learned

    def learned_keys(self) -> set[str]:
        return set(self.learned.themes) if self.learned else set()

    def assign_text(self, text: str) -> list[tuple[str, float]]:
        """The themes of a text made by `theme_text`, with a score in [0, 1], best first."""
        document = Document(text)
        vector: dict[int, float] | None = None
        chosen = []
        for theme in self.themes:
            node = self.rules[theme.key]
            if self.learned is not None and theme.key in self.learned.themes:
                if vector is None:
                    vector = self.learned.vector(text)
                probability = self.learned.probability(theme.key, vector, rule_evidence(node, text, document))
                if probability >= THRESHOLD:
                    chosen.append((theme.key, round(probability, 4)))
            elif matches(node, document):
                chosen.append((theme.key, 1.0))
        return sorted(chosen, key=lambda item: -item[1])

    def assign(self, title: str, lead: str = "", body: str = "") -> list[tuple[str, float]]:
        return self.assign_text(theme_text(title, lead, body))

    def assign_many(self, texts: Iterable[str]) -> list[list[tuple[str, float]]]:
        return [self.assign_text(text) for text in texts]
