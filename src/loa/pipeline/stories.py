"""Grouping articles about one event: weighted term vectors and their similarity.

An article's vector takes folded syllables and syllable pairs of its title (counted
twice), lead and opening, weighted by how rare they are (IDF learned with the models;
unseen terms count as rare, which suits names of places and people in the news). A
story's centroid is the running mean of its articles' vectors.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from loa.text.folding import fold_chars

TOP_TERMS = 40
CENTROID_TERMS = 60
_WORD = re.compile(r"[^\W\d_]{2,}|\d{3,}")

# Folded syllables too common in Vietnamese news to say anything about an event.
STOPWORDS = frozenset(
    """
    va cua la co cac nhung mot duoc cho trong voi nay de khi da se thi tai tu nguoi
    khong ve len ra vao theo nhu den tren cung cung sau truoc hon rat nhieu it nam ngay
    thang gio phut luc do day nao ma nen vi neu bi bang gi ai chi van con dang tren duoi
    ong ba anh chi em toi chung ho minh ban noi cho biet cho hay thuc hien dong thoi
    """.split()  # noqa: SIM905
)


def tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold_chars(text)) if w not in STOPWORDS]


def counts(title: str, lead: str, body: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for text, weight in ((title, 2), (lead, 1), (body[:800], 1)):
        words = tokens(text)
        for word in words:
            found[word] += weight
        for first, second in itertools.pairwise(words):
            found[f"{first} {second}"] += weight
    return found


def vector(title: str, lead: str, body: str, idf: Mapping[str, float], default_idf: float) -> dict[str, float]:
    weighted = {term: (1 + math.log(n)) * idf.get(term, default_idf) for term, n in counts(title, lead, body).items()}
    top = dict(sorted(weighted.items(), key=lambda item: -item[1])[:TOP_TERMS])
    return normalised(top)


def normalised(weights: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: round(w / norm, 5) for term, w in weights.items()}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(term, 0.0) for term, w in a.items())


def merge(centroid: Mapping[str, float], count: int, addition: Mapping[str, float]) -> dict[str, float]:
    """The centroid of `count` articles after one more."""
    terms = set(centroid) | set(addition)
    mean = {t: (centroid.get(t, 0.0) * count + addition.get(t, 0.0)) / (count + 1) for t in terms}
    top = dict(sorted(mean.items(), key=lambda item: -item[1])[:CENTROID_TERMS])
    return normalised(top)


def learn_idf(texts: Iterable[tuple[str, str, str]]) -> tuple[dict[str, float], float]:
    """IDF of every term of the training texts, and the IDF given to unseen terms."""
    documents = 0
    frequency: Counter[str] = Counter()
    for title, lead, body in texts:
        documents += 1
        frequency.update(set(counts(title, lead, body)))
    idf = {term: round(math.log((1 + documents) / (1 + n)) + 1, 4) for term, n in frequency.items() if n > 1}
    return idf, round(math.log(1 + documents) + 1, 4)
