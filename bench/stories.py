"""Story grouping on the hand-grouped set (bench/labels/stories.yaml): B-cubed precision,
recall and F1 of `loa.pipeline.stories.group`, the same grouping the analysis service runs,
on the test split and the dev split apart.

Every labelled article arrives within the story window, in a fixed shuffle (seeded), so a
distractor can always be wrongly joined: the set measures grouping, not the time window."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from bench.data import shared_dir
from bench.table import Row

LABELS = Path(__file__).resolve().parent / "labels" / "stories.yaml"
SEED = 17
SHUFFLES = 5  # arrival orders averaged: grouping depends on who arrives first


def b_cubed(gold: Sequence[str], predicted: Sequence[int]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a predicted clustering against gold clusters."""
    pairs = Counter(zip(gold, predicted, strict=True))
    gold_size, predicted_size = Counter(gold), Counter(predicted)
    precision = sum(n * n / predicted_size[p] for (_g, p), n in pairs.items()) / len(gold)
    recall = sum(n * n / gold_size[g] for (g, _p), n in pairs.items()) / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def labelled() -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The labelled articles (id, story, split, texts) read from the shared sample, checked
    against their title hashes; and the story of each id."""
    from loa.text import normalize

    data = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    story_of = {i: s["group"] for s in data["stories"] for i in s["ids"]}
    split_of = {i: ("dev" if int(s["ids"][0]) % 4 == 0 else "test") for s in data["stories"] for i in s["ids"]}
    titles: Mapping[str, str] = data["titles"]
    found = []
    path = shared_dir() / "data" / "news" / "baomoi-articles.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            key = str(article["id"])
            if key not in story_of:
                continue
            digest = hashlib.sha1(normalize(article["title"]).encode(), usedforsecurity=False).hexdigest()[:10]
            if digest != str(titles.get(key)):
                continue  # the article changed since it was labelled
            found.append({**article, "id": key, "story": story_of[key], "split": split_of[key]})
    return found, story_of


def idf() -> tuple[dict[str, float], float]:
    """The IDF the service uses: the shipped models'."""
    from django.conf import settings

    from loa.pipeline.classify import Classifier

    models = Classifier.load(Path(settings.LOA_MODEL_PATH)).models
    return models.idf, models.default_idf


def score(articles: list[dict[str, Any]], weights: tuple[dict[str, float], float]) -> tuple[float, float, float]:
    from loa.pipeline import stories

    vectors = {a["id"]: stories.vector(a["title"], a["lead"], a["text"], *weights) for a in articles}
    totals = [0.0, 0.0, 0.0]
    for n in range(SHUFFLES):
        order = sorted(articles, key=lambda a: a["id"])
        random.Random(SEED + n).shuffle(order)
        predicted = stories.group([vectors[a["id"]] for a in order])
        for i, value in enumerate(b_cubed([a["story"] for a in order], predicted)):
            totals[i] += value / SHUFFLES
    p, r, f = totals
    return p, r, f


# A stretch of the sample (about four days of baomoi ids around 1/6/2017), all in one window
# and unlabelled: how many stories it makes and how big the largest grows, to catch runaway
# merging that a small labelled set cannot show.
LOAD_IDS = (22420000, 22450000)


def _load(weights: tuple[dict[str, float], float]) -> list[Row]:
    from loa.pipeline import stories

    path = shared_dir() / "data" / "news" / "baomoi-articles.jsonl.gz"
    chosen = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            if LOAD_IDS[0] <= int(article["id"]) < LOAD_IDS[1]:
                chosen.append(article)
    chosen.sort(key=lambda a: int(a["id"]))
    started = time.perf_counter()
    assigned = stories.group([stories.vector(a["title"], a["lead"], a["text"], *weights) for a in chosen])
    elapsed = time.perf_counter() - started
    sizes = Counter(assigned)
    detail = f"{len(chosen)} unlabelled articles (ids {LOAD_IDS[0]}–{LOAD_IDS[1]}) in id order, one window"
    return [
        Row("stories", "stories formed (load)", len(sizes), "stories", detail),
        Row("stories", "largest story (load)", max(sizes.values(), default=0), "articles", detail),
        Row("stories", "grouping throughput (load)", len(chosen) / elapsed, "articles/s", detail),
    ]


def run(*, quick: bool) -> list[Row]:
    from bench.django_env import setup

    setup()
    articles, _story_of = labelled()
    weights = idf()
    rows = []
    for split in ("test", "dev"):
        chosen = [a for a in articles if a["split"] == split]
        groups = len({a["story"] for a in chosen})
        detail = f"{split}: {len(chosen)} articles, {groups} stories, {SHUFFLES} arrival orders"
        precision, recall, f1 = score(chosen, weights)
        rows.append(Row("stories", f"B-cubed precision ({split})", precision, "share", detail))
        rows.append(Row("stories", f"B-cubed recall ({split})", recall, "share", detail))
        rows.append(Row("stories", f"B-cubed F1 ({split})", f1, "F1", detail))
    return rows if quick else [*rows, *_load(weights)]
