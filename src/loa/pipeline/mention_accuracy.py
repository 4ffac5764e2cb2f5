"""Precision and recall of mention detection against labelled sentences (used by the tests and
`make bench`). Named for what it measures, apart from the `evaluation` app (annual grading)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from loa.pipeline.mentions import Matcher


@dataclass
class MentionAccuracy:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    errors: list[tuple[str, set[str], set[str]]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def mention_accuracy(matcher: Matcher, labelled: Iterable[tuple[str, str, set[str]]]) -> MentionAccuracy:
    """(name, sentence, expected entity keys) → precision and recall over entity-in-sentence pairs."""
    accuracy = MentionAccuracy()
    for name, sentence, expected in labelled:
        found = {m.key for m in matcher.find(body=sentence)}
        accuracy.true_positives += len(found & expected)
        accuracy.false_positives += len(found - expected)
        accuracy.false_negatives += len(expected - found)
        if found != expected:
            accuracy.errors.append((name, expected, found))
    return accuracy
