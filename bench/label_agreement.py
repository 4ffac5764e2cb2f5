"""Agreement between two hand labellings of the issue 17 entity labels.

Reads the first labels (`labels/entities_a.yaml` + `labels/entities_b.yaml`) and a blind
second labelling of some of the same articles (`labels/second_pass.yaml`), and prints, on
the articles both labelled: agreement on which organisations an article refers to, Cohen's
kappa and raw agreement on salience (three classes, and relevant = main|secondary against
passing) and on tone toward the organisation for the organisations both found, and the
micro-F1 of one labelling's topics against the other's. Pure Python: no scoring library,
so the figures can be checked by hand.

    python -m bench.label_agreement [--list]
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LABELS = Path(__file__).resolve().parent / "labels"
FIRST = (LABELS / "entities_a.yaml", LABELS / "entities_b.yaml")
SECOND = LABELS / "second_pass.yaml"
RELEVANT = frozenset({"main", "secondary"})


@dataclass(frozen=True)
class Judgement:
    salience: str
    tone: str


@dataclass(frozen=True)
class Labels:
    entities: dict[str, Judgement]
    topics: frozenset[str]


@dataclass(frozen=True)
class Agreement:
    articles: int
    pairs_first: int  # (article, organisation) pairs the first labelling has
    pairs_second: int
    pairs_both: int
    same_entity_sets: int  # articles whose organisation sets are equal
    salience_pct: float
    salience_kappa: float
    relevant_pct: float
    relevant_kappa: float
    tone_pct: float
    tone_kappa: float
    topics_first: int
    topics_second: int
    topics_both: int
    same_topic_sets: int

    @property
    def presence_f1(self) -> float:
        """Positive agreement on organisations: F1 of one labelling against the other."""
        return _f1(self.pairs_both, self.pairs_first, self.pairs_second)

    @property
    def topics_f1(self) -> float:
        return _f1(self.topics_both, self.topics_first, self.topics_second)


def load(paths: Sequence[Path]) -> dict[str, Labels]:
    labels: dict[str, Labels] = {}
    for path in paths:
        entries: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for entry in entries:
            entities = {
                key: Judgement(salience=value["salience"], tone=value["tone"])
                for key, value in (entry.get("entities") or {}).items()
            }
            labels[str(entry["id"])] = Labels(entities=entities, topics=frozenset(entry.get("topics") or []))
    return labels


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float:
    """Cohen's kappa of two raters' labels on the same items; 1.0 when chance agreement is total."""
    if not pairs:
        return float("nan")
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    if expected == 1.0:
        return 1.0
    return (observed - expected) / (1.0 - expected)


def _pct(pairs: Sequence[tuple[str, str]]) -> float:
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else float("nan")


def _f1(both: int, first: int, second: int) -> float:
    return 2 * both / (first + second) if first + second else float("nan")


def compare(first: dict[str, Labels], second: dict[str, Labels]) -> Agreement:
    ids = sorted(set(first) & set(second))
    pairs_first = pairs_second = pairs_both = same_entities = 0
    topics_first = topics_second = topics_both = same_topics = 0
    salience: list[tuple[str, str]] = []
    tone: list[tuple[str, str]] = []
    for article in ids:
        one, two = first[article], second[article]
        pairs_first += len(one.entities)
        pairs_second += len(two.entities)
        same_entities += one.entities.keys() == two.entities.keys()
        for key in one.entities.keys() & two.entities.keys():
            pairs_both += 1
            salience.append((one.entities[key].salience, two.entities[key].salience))
            tone.append((one.entities[key].tone, two.entities[key].tone))
        topics_first += len(one.topics)
        topics_second += len(two.topics)
        topics_both += len(one.topics & two.topics)
        same_topics += one.topics == two.topics
    relevant = [(str(a in RELEVANT), str(b in RELEVANT)) for a, b in salience]
    return Agreement(
        articles=len(ids),
        pairs_first=pairs_first,
        pairs_second=pairs_second,
        pairs_both=pairs_both,
        same_entity_sets=same_entities,
        salience_pct=_pct(salience),
        salience_kappa=cohen_kappa(salience),
        relevant_pct=_pct(relevant),
        relevant_kappa=cohen_kappa(relevant),
        tone_pct=_pct(tone),
        tone_kappa=cohen_kappa(tone),
        topics_first=topics_first,
        topics_second=topics_second,
        topics_both=topics_both,
        same_topic_sets=same_topics,
    )


def disagreements(first: dict[str, Labels], second: dict[str, Labels]) -> list[str]:
    """One line per article where the two labellings differ (organisations, salience, tone, topics)."""
    lines = []
    for article in sorted(set(first) & set(second)):
        one, two = first[article], second[article]
        if one == two:
            continue
        lines.append(f"{article}: first {_show(one)} | second {_show(two)}")
    return lines


def _show(labels: Labels) -> str:
    entities = ", ".join(f"{key} {value.salience}/{value.tone}" for key, value in sorted(labels.entities.items()))
    return "{" + entities + "} " + "[" + ", ".join(sorted(labels.topics)) + "]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.label_agreement", description=__doc__)
    parser.add_argument("--first", type=Path, nargs="+", default=list(FIRST))
    parser.add_argument("--second", type=Path, default=SECOND)
    parser.add_argument("--list", action="store_true", help="list the articles that differ")
    args = parser.parse_args(argv)
    first, second = load(args.first), load([args.second])
    result = compare(first, second)
    print(f"articles labelled twice: {result.articles}")
    print(
        f"organisations: first {result.pairs_first}, second {result.pairs_second}, "
        f"both {result.pairs_both}; agreement F1 {result.presence_f1:.2f}; "
        f"same set in {result.same_entity_sets}/{result.articles} articles"
    )
    print(
        f"salience (on the {result.pairs_both} both found): "
        f"{result.salience_pct:.0%} agree, kappa {result.salience_kappa:.2f}"
    )
    print(f"relevant (main|secondary) vs passing: {result.relevant_pct:.0%} agree, kappa {result.relevant_kappa:.2f}")
    print(f"tone toward organisation: {result.tone_pct:.0%} agree, kappa {result.tone_kappa:.2f}")
    print(
        f"topics: first {result.topics_first}, second {result.topics_second}, "
        f"both {result.topics_both}; micro-F1 {result.topics_f1:.2f}; "
        f"same set in {result.same_topic_sets}/{result.articles} articles"
    )
    if args.list:
        for line in disagreements(first, second):
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
