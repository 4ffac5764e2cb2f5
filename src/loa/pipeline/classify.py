"""Sentiment and topic models: trained with scikit-learn from labelled headlines, stored
as one compact artefact, loaded once per process.

Sentiment is a logistic regression over word and character n-grams of the normalised
text, a news polarity lexicon (lexicon_vi.tsv) and, when `loa model vectors` has been run,
the mean word vector of the text and of its headline (loa.pipeline.vectors); topics are one logistic regression
per topic of the taxonomy, with the decision threshold chosen by cross-validation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_predict
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MultiLabelBinarizer

from loa.pipeline.tones import TONE_NAMES
from loa.pipeline.vectors import EmbeddingFeatures, WordVectors
from loa.text.folding import fold_chars
from loa.text.normalization import normalize
from loa.text.tokens import sentences

LEXICON_PATH = Path(__file__).with_name("lexicon_vi.tsv")
VECTORS_FILE = "loa-vectors.npz"
# How loud the mean word vectors speak beside the sparse n-gram weights (see the log in vectors.py).
VECTOR_SCALE = 3.0
_WORD = re.compile(r"\w+")


def model_text(title: str, lead: str = "", body: str = "") -> str:
    """What the models read: the headline and the lead (sapo), as in the training data;
    without a lead, the first two sentences of the body."""
    second = lead.strip()
    if not second and body:
        second = " ".join(span.text for span in sentences(body)[:2])
    return normalize(f"{title.strip()}. {second}".strip(". "))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def load_lexicon(path: Path = LEXICON_PATH) -> dict[str, float]:
    """Folded term → signed weight."""
    lexicon: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        polarity = float(parts[1])
        weight = float(parts[2]) if len(parts) > 2 else 1.0
        lexicon[" ".join(_WORD.findall(fold_chars(normalize(parts[0]))))] = polarity * weight
    return lexicon


class LexiconFeatures(BaseEstimator, TransformerMixin):
    """Negative and positive lexicon weight of a text, in the headline and overall."""

    def __init__(self, lexicon: dict[str, float] | None = None) -> None:
        self.lexicon = lexicon

    def fit(self, texts: Sequence[str], labels: object = None) -> LexiconFeatures:
        return self

    def _score(self, folded: str) -> tuple[float, float]:
        padded = f" {' '.join(_WORD.findall(folded))} "
        negative = positive = 0.0
        for term, weight in (self.lexicon or {}).items():
            hits = padded.count(f" {term} ")
            if hits:
                if weight < 0:
                    negative += -weight * hits
                else:
                    positive += weight * hits
        return negative, positive

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        rows = []
        for text in texts:
            folded = fold_chars(text)
            head = folded.split(". ", 1)[0]
            negative, positive = self._score(folded)
            head_negative, head_positive = self._score(head)
            rows.append([np.log1p(negative), np.log1p(positive), np.log1p(head_negative), np.log1p(head_positive)])
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float64))


def _features(
    lexicon: dict[str, float] | None, *, chars: bool = True, vectors: WordVectors | None = None
) -> FeatureUnion:
    parts: list[tuple[str, Any]] = [
        (
            "words",
            TfidfVectorizer(
                tokenizer=_words,
                token_pattern=None,
                lowercase=False,
                ngram_range=(1, 2),
                min_df=1,
                max_features=15000,
                sublinear_tf=True,
            ),
        ),
        (
            "chars",
            TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(2, 4),
                min_df=2,
                max_features=20000,
                sublinear_tf=True,
                lowercase=True,
            ),
        ),
    ]
    if lexicon is not None:
        parts.append(("lexicon", LexiconFeatures(lexicon)))
    if vectors is not None:
        parts.append(("vectors", EmbeddingFeatures(vectors, scale=VECTOR_SCALE)))
    return FeatureUnion(parts)


def sentiment_pipeline(lexicon: dict[str, float] | None, vectors: WordVectors | None = None) -> Pipeline:
    return Pipeline(
        [
            ("features", _features(lexicon, vectors=vectors)),
            # C chosen by 5-fold cross-validation on DANeS (macro-F1 0.52 at C=1 against
            # 0.51 at 4 and 10); with word vectors C=1 still wins (0.564 against 0.553 at 4).
            ("model", LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)),
        ]
    )


def topic_pipeline() -> Pipeline:
    return Pipeline(
        [
            # Words only: character n-grams did not help topics and made the file three times larger.
            ("features", _features(None, chars=False)),
            ("model", OneVsRestClassifier(LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000))),
        ]
    )


@dataclass(frozen=True)
class Example:
    text: str
    sentiment: str | None
    topics: tuple[str, ...]


def examples_from_records(records: Iterable[dict[str, Any]]) -> list[Example]:
    """DANeS-style records: title, description, sentiment, topics."""
    out = []
    for record in records:
        text = model_text(str(record.get("title", "")), str(record.get("description") or record.get("lead") or ""))
        if not text:
            continue
        sentiment = record.get("sentiment")
        topics = tuple(sorted({normalize(str(t)) for t in record.get("topics") or []}))
        out.append(Example(text, sentiment if sentiment in TONE_NAMES else None, topics))
    return out


class ModelsError(RuntimeError):
    """The models artefact cannot be used as it stands (its word vectors are missing or changed)."""


def title_sha1(title: str) -> str:
    """What a label file keeps of a headline: enough to notice that a line changed, no text."""
    return hashlib.sha1(normalize(title).encode(), usedforsecurity=False).hexdigest()[:10]


def extra_examples(labels: Iterable[dict[str, Any]], unlabelled: Sequence[dict[str, Any]]) -> tuple[list[Example], int]:
    """The project's own sentiment labels of unlabelled DANeS headlines ({"line", "title_sha1",
    "sentiment"}, the line counted from 0 in danes-unlabelled.jsonl) joined to their texts;
    with how many were skipped because the line is missing or its headline changed."""
    out, skipped = [], 0
    for label in labels:
        line, sentiment = int(label["line"]), label.get("sentiment")
        if sentiment not in TONE_NAMES:
            continue  # left unlabelled by the annotator (empty or not news)
        record = unlabelled[line] if 0 <= line < len(unlabelled) else None
        if record is None or title_sha1(str(record.get("title", ""))) != label.get("title_sha1"):
            skipped += 1
            continue
        text = model_text(str(record.get("title", "")), str(record.get("description") or ""))
        if text:
            out.append(Example(text, str(sentiment), ()))
    return out, skipped


@dataclass
class Models:
    sentiment: Pipeline
    topics: Pipeline
    topic_labels: list[str]
    topic_threshold: float
    card: dict[str, Any] = field(default_factory=dict)
    # Term weights for grouping articles into stories (see loa.pipeline.stories).
    idf: dict[str, float] = field(default_factory=dict)
    default_idf: float = 8.0
    # The word vectors are not pickled into the artefact but read from this file beside it
    # (the shipped loa-vectors.npz): one copy in the repository instead of two (4 MB each).
    # The digest ties the artefact to the vectors it was trained with.
    vectors_file: str = ""
    vectors_sha256: str = ""

    def _embedding_parts(self) -> list[EmbeddingFeatures]:
        return [
            part
            for _name, part in self.sentiment.named_steps["features"].transformer_list
            if isinstance(part, EmbeddingFeatures)
        ]

    def save(self, path: Path) -> int:
        path.parent.mkdir(parents=True, exist_ok=True)
        detached = [(part, part.vectors) for part in self._embedding_parts() if part.vectors is not None]
        if detached:
            vectors = detached[0][1]
            assert vectors is not None
            self.vectors_file = VECTORS_FILE
            self.vectors_sha256 = vectors.digest()
            beside = path.with_name(VECTORS_FILE)
            if not beside.is_file() or WordVectors.load(beside).digest() != self.vectors_sha256:
                vectors.save(beside)
        try:
            for part, _vectors in detached:
                part.vectors = None
            return self._dump(path)
        finally:
            for part, kept in detached:
                part.vectors = kept

    def attach_vectors(self, path: Path) -> None:
        """Puts back the word vectors `save` left out, from the file beside `path`."""
        name = getattr(self, "vectors_file", "")  # absent from artefacts older than this field
        if not name:
            return
        beside = path.with_name(name)
        if not beside.is_file():
            raise ModelsError(f"{path.name} cần tệp vectơ {name} bên cạnh (needs {beside})")
        vectors = WordVectors.load(beside)
        if vectors.digest() != self.vectors_sha256:
            raise ModelsError(
                f"{beside.name} không phải bộ vectơ đã dùng để huấn luyện {path.name}; chạy lại: loa model train "
                "(the word vectors changed since the models were trained)"
            )
        for part in self._embedding_parts():
            part.vectors = vectors

    def _dump(self, path: Path) -> int:
        for pipeline in (self.sentiment, self.topics):
            for _name, part in pipeline.named_steps["features"].transformer_list:
                # The terms cut by min_df/max_features: only for inspection, and most of the file.
                if hasattr(part, "stop_words_"):
                    part.stop_words_ = None
        # Single precision halves the coefficients on disk; scores move in the sixth digit.
        estimators = [self.sentiment.named_steps["model"], *self.topics.named_steps["model"].estimators_]
        for estimator in estimators:
            estimator.coef_ = estimator.coef_.astype(np.float32)
        joblib.dump(self, path, compress=("xz", 6))
        path.with_suffix(".json").write_text(
            json.dumps(self.card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        return path.stat().st_size


@dataclass(frozen=True)
class Sentiment:
    label: str
    confidence: float  # probability of the label
    polarity: float  # P(positive) − P(negative), in [−1, 1]


class Classifier:
    def __init__(self, models: Models) -> None:
        self.models = models
        self._classes = list(models.sentiment.classes_)

    @classmethod
    def load(cls, path: Path) -> Classifier:
        models = joblib.load(path)
        if not isinstance(models, Models):
            raise TypeError(f"{path} does not hold Loa's models")
        models.attach_vectors(path)
        return cls(models)

    @property
    def version(self) -> str:
        return str(self.models.card.get("version", "unknown"))

    def sentiment(self, texts: Sequence[str]) -> list[Sentiment]:
        if not texts:
            return []
        probabilities = self.models.sentiment.predict_proba(list(texts))
        negative, positive = self._classes.index("negative"), self._classes.index("positive")
        out = []
        for row in probabilities:
            best = int(np.argmax(row))
            out.append(
                Sentiment(
                    self._classes[best], round(float(row[best]), 4), round(float(row[positive] - row[negative]), 4)
                )
            )
        return out

    def topics(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        if not texts:
            return []
        probabilities = self.models.topics.predict_proba(list(texts))
        out = []
        for row in probabilities:
            chosen = [
                (label, round(float(p), 4))
                for label, p in zip(self.models.topic_labels, row, strict=True)
                if p >= self.models.topic_threshold
            ]
            if not chosen:
                best = int(np.argmax(row))
                chosen = [(self.models.topic_labels[best], round(float(row[best]), 4))]
            out.append(sorted(chosen, key=lambda item: -item[1]))
        return out


@dataclass
class Metrics:
    sentiment_macro_f1: float
    sentiment_accuracy: float
    sentiment_f1_by_class: dict[str, float]
    topics_micro_f1: float
    topics_macro_f1: float
    topic_threshold: float
    examples: int
    folds: int


def _sentiment_predictions(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    folds: int,
    lexicon: dict[str, float] | None,
    vectors: WordVectors | None,
    extra: Sequence[Example] = (),
    seed: int = 7,
) -> np.ndarray:
    """Out-of-fold predictions for `texts`; `extra` examples join every training fold but are
    never scored, so the figure stays one on the labelled set alone."""
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    if not extra:
        predicted: np.ndarray = cross_val_predict(sentiment_pipeline(lexicon, vectors), texts, labels, cv=splitter)
        return predicted
    extra_texts = [e.text for e in extra if e.sentiment]
    extra_labels = [str(e.sentiment) for e in extra if e.sentiment]
    out = np.empty(len(texts), dtype=object)
    for train_rows, test_rows in splitter.split(texts, labels):
        model = sentiment_pipeline(lexicon, vectors).fit(
            [texts[i] for i in train_rows] + extra_texts, [labels[i] for i in train_rows] + extra_labels
        )
        out[test_rows] = model.predict([texts[i] for i in test_rows])
    return out.astype(str)


def evaluate(
    examples: Sequence[Example],
    *,
    folds: int = 5,
    lexicon: dict[str, float] | None = None,
    vectors: WordVectors | None = None,
    extra: Sequence[Example] = (),
) -> Metrics:
    """Cross-validated scores of the two models on `examples` (nothing is kept); `extra`
    sentiment examples only ever train (see `_sentiment_predictions`)."""
    labelled = [e for e in examples if e.sentiment]
    texts = [e.text for e in labelled]
    labels = [str(e.sentiment) for e in labelled]
    predicted = _sentiment_predictions(texts, labels, folds=folds, lexicon=lexicon, vectors=vectors, extra=extra)
    by_class = f1_score(labels, predicted, labels=list(TONE_NAMES), average=None)
    threshold, micro, macro = _topic_threshold(examples, folds)
    return Metrics(
        sentiment_macro_f1=round(float(f1_score(labels, predicted, average="macro")), 4),
        sentiment_accuracy=round(float(np.mean(np.asarray(labels) == predicted)), 4),
        sentiment_f1_by_class={c: round(float(v), 4) for c, v in zip(TONE_NAMES, by_class, strict=True)},
        topics_micro_f1=micro,
        topics_macro_f1=macro,
        topic_threshold=threshold,
        examples=len(examples),
        folds=folds,
    )


def _topic_threshold(examples: Sequence[Example], folds: int) -> tuple[float, float, float]:
    with_topics = [e for e in examples if e.topics]
    binarizer = MultiLabelBinarizer()
    truth = binarizer.fit_transform([e.topics for e in with_topics])
    probabilities = cross_val_predict(
        topic_pipeline(),
        [e.text for e in with_topics],
        truth,
        cv=KFold(folds, shuffle=True, random_state=7),
        method="predict_proba",
    )
    best = (0.5, -1.0, 0.0)
    for threshold in np.arange(0.2, 0.75, 0.05):
        chosen = probabilities >= threshold
        micro = float(f1_score(truth, chosen, average="micro", zero_division=0))
        if micro > best[1]:
            macro = float(f1_score(truth, chosen, average="macro", zero_division=0))
            best = (round(float(threshold), 2), round(micro, 4), round(macro, 4))
    return best


def train(
    examples: Sequence[Example],
    *,
    folds: int = 5,
    lexicon: dict[str, float] | None = None,
    vectors: WordVectors | None = None,
    source: str = "",
    extra: Sequence[Example] = (),
) -> tuple[Models, Metrics]:
    """Both models from `examples`; `extra` sentiment examples (the project's own labels of
    unlabelled headlines) train the tone model but are left out of its reported scores."""
    metrics = evaluate(examples, folds=folds, lexicon=lexicon, vectors=vectors, extra=extra)
    labelled = [e for e in [*examples, *extra] if e.sentiment]
    sentiment = sentiment_pipeline(lexicon, vectors).fit([e.text for e in labelled], [e.sentiment for e in labelled])
    with_topics = [e for e in examples if e.topics]
    binarizer = MultiLabelBinarizer()
    truth = binarizer.fit_transform([e.topics for e in with_topics])
    topics = topic_pipeline().fit([e.text for e in with_topics], truth)
    digest = hashlib.sha256(
        "\n".join(f"{e.text}\t{e.sentiment}\t{'|'.join(e.topics)}" for e in [*examples, *extra]).encode()
    ).hexdigest()
    card = {
        "version": f"{dt.datetime.now(dt.UTC):%Y%m%d}-{digest[:8]}",
        "trained_on": source,
        "examples": len(examples),
        "extra_sentiment_examples": sum(1 for e in extra if e.sentiment),
        "data_sha256": digest,
        "metrics": metrics.__dict__,
        "sentiment_labels": list(TONE_NAMES),
        "topic_labels": list(binarizer.classes_),
    }
    from loa.pipeline.stories import learn_idf

    idf, default_idf = learn_idf((e.text, "", "") for e in examples)
    models = Models(sentiment, topics, list(binarizer.classes_), metrics.topic_threshold, card, idf, default_idf)
    return models, metrics
