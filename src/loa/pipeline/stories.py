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
from typing import TypeVar

from loa.text.folding import fold_chars

K = TypeVar("K")

TOP_TERMS = 40
CENTROID_TERMS = 60
# Words of two letters or more, and numbers with their thousands separators ("13.000" is
# one term, 13000): a figure shared by two articles is strong evidence of one event.
_WORD = re.compile(r"[^\W\d_]{2,}|\d+(?:[.,]\d+)*")

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
    found = []
    for word in _WORD.findall(fold_chars(text)):
        if word[0].isdigit():
            word = word.replace(".", "").replace(",", "")
            if len(word) < 2:
                continue  # a day, a count of one digit: too common to tell events apart
        if word not in STOPWORDS:
            found.append(word)
    return found


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


# --- Grouping, shared by the analysis service and the benchmark -------------------------

INDEX_TERMS = 20  # centroid terms indexed per story, and article terms looked up
MIN_SHARED = 2  # index terms a story must share with an article to be compared at all
SHORTLIST = 30  # stories compared per article, those sharing the most terms first
# Cosine an article needs with a story's centroid to join it; chosen on the dev split of
# bench/labels/stories.yaml (0.3 before: F1 0.942 on dev, 0.25 with number terms: 0.966).
SIMILARITY = 0.25


def index_terms(weights: Mapping[str, float]) -> list[str]:
    """The heaviest terms of a vector: what a story is indexed by, what an article looks up."""
    return sorted(weights, key=lambda t: (-weights[t], t))[:INDEX_TERMS]


def best_story(article: Mapping[str, float], candidates: Iterable[tuple[K, Mapping[str, float]]]) -> K | None:
    """The candidate story whose centroid is most similar to the article, if similar enough."""
    best: tuple[float, K | None] = (SIMILARITY, None)
    for key, centroid in candidates:
        score = cosine(article, centroid)
        if score >= best[0]:
            best = (score, key)
    return best[1]


def group(vectors: Iterable[Mapping[str, float]]) -> list[int]:
    """The story index of each article, arriving in this order all within the time window.

    Mirrors `loa.analysis.services._story_for` and `_join_story` without the database: the
    same term index, shortlist, similarity and centroid update."""
    centroids: list[dict[str, float]] = []
    counts_: list[int] = []
    postings: dict[str, list[int]] = {}
    assigned: list[int] = []
    for article in vectors:
        shared: Counter[int] = Counter()
        for term in index_terms(article):
            shared.update(postings.get(term, ()))
        ranked = [s for s, n in sorted(shared.items(), key=lambda i: (-i[1], i[0])) if n >= MIN_SHARED][:SHORTLIST]
        chosen = best_story(article, ((s, centroids[s]) for s in sorted(ranked)))
        if chosen is None:
            chosen = len(centroids)
            centroids.append(dict(article))
            counts_.append(0)
        else:
            for term in index_terms(centroids[chosen]):
                postings[term].remove(chosen)
            centroids[chosen] = merge(centroids[chosen], counts_[chosen], article)
        counts_[chosen] += 1
        for term in index_terms(centroids[chosen]):
            postings.setdefault(term, []).append(chosen)
        assigned.append(chosen)
    return assigned
