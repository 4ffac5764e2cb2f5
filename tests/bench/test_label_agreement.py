"""The inter-labeller agreement figures of bench/label_agreement.py, on hand-checkable cases."""

from __future__ import annotations

import math
from pathlib import Path

from bench.label_agreement import Judgement, Labels, cohen_kappa, compare, disagreements, load


def test_kappa_matches_hand_computation() -> None:
    # 10 items, 8 agreed: observed 0.8; each rater says A 5 times and B 5 times, so
    # expected = (5*5 + 5*5) / 100 = 0.5 and kappa = (0.8 - 0.5) / (1 - 0.5) = 0.6.
    pairs = [("A", "A")] * 4 + [("B", "B")] * 4 + [("A", "B"), ("B", "A")]
    assert math.isclose(cohen_kappa(pairs), 0.6)


def test_kappa_is_one_when_raters_agree_on_a_single_label() -> None:
    assert cohen_kappa([("neutral", "neutral")] * 4) == 1.0
    assert math.isnan(cohen_kappa([]))


def _labels(entities: dict[str, tuple[str, str]], topics: list[str]) -> Labels:
    return Labels(
        entities={key: Judgement(salience=s, tone=t) for key, (s, t) in entities.items()},
        topics=frozenset(topics),
    )


def test_compare_counts_presence_salience_tone_and_topics() -> None:
    first = {
        "1": _labels({"evn": ("main", "negative"), "vcb": ("passing", "neutral")}, ["supply"]),
        "2": _labels({}, ["prices"]),
        "3": _labels({"pvn": ("secondary", "neutral")}, []),
        "9": _labels({"tkv": ("main", "neutral")}, []),  # labelled once: ignored
    }
    second = {
        "1": _labels({"evn": ("main", "neutral")}, ["supply", "safety"]),
        "2": _labels({"vna": ("passing", "neutral")}, ["prices"]),
        "3": _labels({"pvn": ("passing", "neutral")}, []),
    }
    result = compare(first, second)
    assert result.articles == 3
    assert (result.pairs_first, result.pairs_second, result.pairs_both) == (3, 3, 2)
    assert math.isclose(result.presence_f1, 2 / 3)
    assert result.same_entity_sets == 1
    assert result.salience_pct == 0.5  # evn main=main, pvn secondary!=passing
    assert result.relevant_pct == 0.5
    assert result.tone_pct == 0.5  # evn negative!=neutral, pvn neutral=neutral
    assert (result.topics_first, result.topics_second, result.topics_both) == (2, 3, 2)
    assert math.isclose(result.topics_f1, 0.8)
    assert [line.split(":")[0] for line in disagreements(first, second)] == ["1", "2", "3"]


def test_load_reads_the_labels_format(tmp_path: Path) -> None:
    path = tmp_path / "labels.yaml"
    path.write_text(
        '- id: "21395276"\n  title_sha1: "0123456789"\n  kind: roundup\n'
        "  entities:\n    vcb: {salience: passing, tone: neutral}\n  topics: [results]\n"
        '- id: "21395277"\n  title_sha1: "0123456780"\n  kind: none\n'
        "  entities: {}\n  topics: []\n",
        encoding="utf-8",
    )
    labels = load([path])
    assert labels["21395276"].entities == {"vcb": Judgement(salience="passing", tone="neutral")}
    assert labels["21395276"].topics == frozenset({"results"})
    assert labels["21395277"] == Labels(entities={}, topics=frozenset())
