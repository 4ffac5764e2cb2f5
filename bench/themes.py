"""The bloc's themes on the hand-labelled articles (bench/labels/entities_*.yaml, field `topics`):
micro-F1 and per-theme F1 of the rules alone, and of the rules with the learned part trained
on the dev split's labels (as if staff had confirmed those articles), scored on the test split.

Rules were refined on the dev split only (`int(id) % 4 == 0`); test is what is reported."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.data import REPO, shared_dir
from bench.table import Row

LABELS = REPO / "bench" / "labels"


@dataclass(frozen=True)
class Labelled:
    id: str
    title: str
    lead: str
    body: str
    topics: frozenset[str]

    @property
    def dev(self) -> bool:
        return int(self.id) % 4 == 0


def label_files() -> list[Path]:
    # LOA_BENCH_LABELS (paths separated by ":") reads labels kept elsewhere, e.g. while written.
    extra = [Path(p) for p in os.environ.get("LOA_BENCH_LABELS", "").split(":") if p]
    return extra or sorted(LABELS.glob("entities_*.yaml"))


def labelled_articles() -> tuple[list[Labelled], int]:
    """The labelled articles whose title still matches its checksum, and how many were skipped."""
    from loa.text import normalize

    entries: dict[str, dict[str, Any]] = {}
    for path in label_files():
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(entry, dict) and "topics" in entry:
                entries.setdefault(str(entry["id"]), entry)
    out = []
    with gzip.open(shared_dir() / "data" / "news" / "baomoi-articles.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            entry = entries.get(str(record["id"]))
            if entry is None:
                continue
            title = normalize(record["title"])
            digest = hashlib.sha1(title.encode(), usedforsecurity=False).hexdigest()[:10]
            if str(entry.get("title_sha1", "")) != digest:
                continue
            out.append(
                Labelled(
                    id=str(record["id"]),
                    title=title,
                    lead=normalize(record.get("lead") or ""),
                    body=normalize(record.get("text") or ""),
                    topics=frozenset(str(t) for t in entry.get("topics") or []),
                )
            )
    # Skipped: a changed title, or an id no longer in the sample.
    return out, len(entries) - len(out)


@dataclass(frozen=True)
class Scores:
    micro: float
    macro: float
    per_theme: dict[str, tuple[float, int]]  # F1, labelled articles


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def score(truth: Sequence[frozenset[str]], predicted: Sequence[set[str]], keys: Sequence[str]) -> Scores:
    counts = {k: [0, 0, 0] for k in keys}
    for gold, found in zip(truth, predicted, strict=True):
        for key in keys:
            if key in gold and key in found:
                counts[key][0] += 1
            elif key in found:
                counts[key][1] += 1
            elif key in gold:
                counts[key][2] += 1
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    per = {k: (_f1(*c), c[0] + c[2]) for k, c in counts.items()}
    present = [f for f, n in per.values() if n]
    return Scores(_f1(tp, fp, fn), sum(present) / len(present) if present else 0.0, per)


def evaluate(articles: Sequence[Labelled], *, learn_from: Sequence[Labelled] = ()) -> Scores:
    from loa.pipeline.themes import Example, Tagger, load_seed, theme_text, train

    themes = load_seed()
    learned = None
    if learn_from:
        learned = train(themes, [Example(theme_text(a.title, a.lead, a.body), a.topics) for a in learn_from])
    tagger = Tagger(themes, learned)
    predicted = [{k for k, _s in tagger.assign(a.title, a.lead, a.body)} for a in articles]
    return score([a.topics for a in articles], predicted, [t.key for t in themes])


def run(*, quick: bool) -> list[Row]:
    articles, skipped = labelled_articles()
    if not articles:
        return [Row("themes", "topic micro-F1 (rules)", 0.0, "F1", "no labelled articles in bench/labels")]
    dev = [a for a in articles if a.dev]
    test = [a for a in articles if not a.dev]
    detail = f"test split, {len(test)} articles ({skipped} skipped: title changed or missing)"
    rules_test, rules_dev = evaluate(test), evaluate(dev)
    rows = [
        Row("themes", "topic micro-F1 (rules)", rules_test.micro, "F1", detail),
        Row("themes", "topic macro-F1 (rules)", rules_test.macro, "F1", detail),
        Row("themes", "topic micro-F1 (rules), dev", rules_dev.micro, "F1", f"dev split, {len(dev)} articles"),
    ]
    learned = evaluate(test, learn_from=dev)
    from loa.pipeline.themes import MIN_POSITIVES, load_seed

    trained = [t.key for t in load_seed() if sum(t.key in a.topics for a in dev) >= MIN_POSITIVES]
    rows += [
        Row(
            "themes",
            "topic micro-F1 (rules + learned)",
            learned.micro,
            "F1",
            f"{detail}; learned from the dev labels for {len(trained)} themes ({', '.join(trained) or 'none'})",
        ),
        Row("themes", "topic macro-F1 (rules + learned)", learned.macro, "F1", detail),
    ]
    for key, (f1, n) in rules_test.per_theme.items():
        with_learned = learned.per_theme[key][0]
        rows.append(Row("themes", f"F1 {key}", f1, "F1", f"rules; {with_learned:.3f} with learned; {n} test articles"))
    return rows
