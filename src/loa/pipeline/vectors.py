"""Word vectors learned from the project's own unlabelled news, for the sentiment model.

1,387 labelled headlines name few of the words news uses; vectors trained on the 34,870
unlabelled articles (and the unlabelled DANeS headlines) place an unseen word near the
seen ones, so "khởi tố" lands near "bắt giam" even when only one was labelled.

`loa model vectors --news PATH` trains them with gensim's word2vec (a registry package;
no weights come from anywhere else) and keeps a compact float16 table of the most
frequent syllables; `loa model train` then folds that table into the models artefact.

What each option gave on DANeS (stratified 5-fold CV, macro-F1 / negative F1; the
baseline, word and character n-grams + lexicon, C=1, scores 0.524 / 0.439):
- word n-grams + lexicon, C=4: 0.519 / 0.433; calibrated class biases chosen inside each
  fold on its own inner CV: 0.519 / 0.438 (no gain);
- self-training on the unlabelled DANeS headlines (confident 30 %, weight 0.5): 0.496 / 0.396;
- word n-grams + lexicon + mean vectors (scale 1 / 3): 0.547 / 0.485, 0.549 / 0.497;
- word and character n-grams + lexicon + vectors, scale 3, C=1: 0.564 / 0.508 (kept);
  scale 3 at C=4: 0.553 / 0.472; scale 6 at C=1: 0.548 / 0.506. Retrained by
  `loa model vectors` (word2vec is not bit-reproducible with two workers) the shipped
  vectors give 0.560 / 0.498.
With the shipped vectors, not kept (no clear gain): class biases calibrated inside each
fold 0.559 / 0.482; max/min pooling beside the mean 0.525 / 0.462; an IDF-weighted mean
0.557 / 0.519; a 0.7/0.3 blend with a vectors-only model 0.557 / 0.510; negative class
weight ×1.4 0.560 / 0.511; 200-dimensional vectors (twice the size) 0.555 / 0.505 at
scale 3, 0.557 / 0.510 at scale 4.
Means over three splits (seeds 7, 11, 13; the kept model 0.561 / 0.503, seed 7
0.559 / 0.495), not kept (none reaches +0.02):
- NBSVM (Wang & Manning log-count ratios, binary word 1-2 grams), one-vs-rest LR:
  0.374 / 0.190 at C=1, 0.382 / 0.199 at C=0.3; the ratios of each class side by side
  in one multinomial LR: 0.415 / 0.239, 0.424 / 0.261 at C=0.3 (1,387 headlines give
  noisy ratios); averaged 1:1 with the kept model's probabilities: 0.45 to 0.49;
- supervised fastText (fasttext-wheel 0.9.2, pretrained on the shipped table, classes
  oversampled to balance, 25 epochs, word bigrams): 0.473 / 0.366; averaged with the
  kept model 1:1 0.502 / 0.387, 2:1 0.524 / 0.426 (peaked probabilities that lean to
  neutral drag the average there); its `predict` also fails under NumPy 2;
- compound words from pyvi's segmenter (its CRF ships in the wheel) as word 1-2 grams
  beside the syllables: 0.561 / 0.494; instead of them: 0.560 / 0.500;
- compounds from gensim Phrases over the news (14,076; min_count 10, threshold 10) as
  word 1-2 grams beside the syllables: 0.559 / 0.496;
- the lexicon grown by 605 compounds near its terms (Phrases compounds, mean syllable
  vector, cosine >= 0.7, weight 0.5 x cosine, none near both poles): 0.556 / 0.487; 231 at
  cosine >= 0.8: 0.549 / 0.476 (seed 7 alone); the neighbours are noisy ("tai nghe", earphones, beside "tai nạn");
- distant labels: 800 news headlines with lexicon weight >= 2 negative and no positive
  term, 596 the other way, 800 with no term as neutral, sample weight 0.2: 0.524 / 0.447.
Not measured: word2vec retrained over the Phrases-compounded news (did not finish in
the time on a shared two-core machine).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from loa.text.normalization import normalize

_WORD = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """The syllables the vectors and the sentiment model's word features share."""
    return _WORD.findall(text.lower())


@dataclass
class WordVectors:
    words: list[str]
    matrix: np.ndarray  # float16, one unit-length row per word

    def __post_init__(self) -> None:
        self.index = {word: row for row, word in enumerate(self.words)}

    @property
    def dims(self) -> int:
        return int(self.matrix.shape[1])

    def save(self, path: Path) -> int:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(handle, words=np.asarray(self.words, dtype=str), matrix=self.matrix)
        return path.stat().st_size

    def digest(self) -> str:
        """Of the content, not the file: compressed bytes may differ between zlib versions."""
        hashed = hashlib.sha256("\n".join(self.words).encode())
        hashed.update(np.ascontiguousarray(self.matrix, dtype=np.float16).tobytes())
        return hashed.hexdigest()

    @classmethod
    def load(cls, path: Path) -> WordVectors:
        with np.load(path, allow_pickle=False) as data:
            return cls([str(w) for w in data["words"]], data["matrix"].astype(np.float16))

    def mean(self, words: Sequence[str]) -> np.ndarray:
        rows = [self.index[w] for w in words if w in self.index]
        if not rows:
            return np.zeros(self.dims, dtype=np.float32)
        mean: np.ndarray = np.asarray(self.matrix[rows], dtype=np.float32).mean(axis=0)
        return mean


def record_texts(record: dict[str, Any]) -> Iterator[str]:
    """Title, lead or description, and body paragraphs of a news or DANeS record."""
    for key in ("title", "lead", "description"):
        value = record.get(key)
        if value:
            yield str(value)
    for paragraph in str(record.get("text") or "").split("\n"):
        if paragraph.strip():
            yield paragraph


def read_corpus(paths: Iterable[Path]) -> list[list[str]]:
    """Tokenised paragraphs of JSON-lines files (plain or gzip), read into memory once
    because word2vec makes several passes."""
    sentences: list[list[str]] = []
    for path in paths:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                record = json.loads(line)
                for text in record_texts(record):
                    words = tokens(normalize(text))
                    if len(words) > 2:
                        sentences.append(words)
    return sentences


def train_vectors(
    sentences: Sequence[list[str]],
    *,
    dims: int = 100,
    keep: int = 30000,
    min_count: int = 5,
    epochs: int = 5,
    seed: int = 7,
    workers: int = 2,
) -> WordVectors:
    """Skip-gram word2vec over syllables; keeps the `keep` most frequent, unit length, float16."""
    from gensim.models import Word2Vec  # Lazy: only this command needs gensim.

    model = Word2Vec(
        sentences,
        vector_size=dims,
        window=5,
        min_count=min_count,
        sg=1,
        epochs=epochs,
        seed=seed,
        workers=workers,
    )
    words = list(model.wv.index_to_key[:keep])  # gensim orders by frequency
    matrix = np.asarray(model.wv.vectors[: len(words)], dtype=np.float32)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    return WordVectors(words, matrix.astype(np.float16))


class EmbeddingFeatures(BaseEstimator, TransformerMixin):
    """Mean word vector of the whole text and of its headline (before the first ". ")."""

    def __init__(self, vectors: WordVectors | None = None, scale: float = 1.0) -> None:
        self.vectors = vectors
        self.scale = scale

    def fit(self, texts: Sequence[str], labels: object = None) -> EmbeddingFeatures:
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        if self.vectors is None:
            return sparse.csr_matrix((len(texts), 0))
        rows = []
        for text in texts:
            head = text.split(". ", 1)[0]
            rows.append(np.concatenate([self.vectors.mean(tokens(text)), self.vectors.mean(tokens(head))]))
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float64) * self.scale)
