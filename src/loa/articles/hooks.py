"""The after-store pipeline: steps run once articles are stored, registered by the modules that
build on articles (analysis, alerts, incidents, and later ones) from their `AppConfig.ready`,
so articles runs them without importing any module above it.

Steps run in their order, each for the same article ids. A step that fails is logged with its
name and counted; the steps after it still run, since each reads what is stored and does its own
part (an article analysis could not finish is left for the analysis sweep, which runs the
pipeline again). Steps must therefore be idempotent: sweeps and re-analysis run them again.

A step runs in its own savepoint, so a failure undoes only that step's writes. A step that
commits its own work piece by piece (analysis, one article at a time, with model inference in
between) registers with `atomic=False`: an outer transaction would hold locks through inference
and would undo the articles already done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)

StoredStep = Callable[[Sequence[int]], None]


class StepSkipped(Exception):
    """Raised by a step that cannot run now for a known reason (models not installed): logged
    as a warning without a traceback and counted as failed."""


@dataclass(frozen=True)
class _Registered:
    name: str
    order: int
    step: StoredStep
    atomic: bool


@dataclass(frozen=True)
class StepOutcome:
    name: str
    ok: bool


@dataclass(frozen=True)
class StoredOutcome:
    """What each step did for one batch of stored articles, in the order they ran."""

    steps: tuple[StepOutcome, ...] = ()

    @property
    def ok(self) -> int:
        return sum(1 for s in self.steps if s.ok)

    @property
    def failed(self) -> int:
        return sum(1 for s in self.steps if not s.ok)

    def succeeded(self, name: str) -> bool:
        """Whether the step `name` ran and did not fail."""
        return any(s.name == name and s.ok for s in self.steps)


_STEPS: dict[str, _Registered] = {}


def register(name: str, *, order: int, step: StoredStep, atomic: bool = True) -> None:
    """Register `step(article_ids)` under `name`, run by increasing `order` (registering a
    name again replaces it)."""
    _STEPS[name] = _Registered(name=name, order=order, step=step, atomic=atomic)


def unregister(name: str) -> None:
    _STEPS.pop(name, None)


def registered() -> list[str]:
    """The names of the steps, in the order they run."""
    return [r.name for r in _ordered()]


def _ordered() -> list[_Registered]:
    return sorted(_STEPS.values(), key=lambda r: (r.order, r.name))


def articles_stored(*, article_ids: Sequence[int]) -> StoredOutcome:
    """Run every registered step for `article_ids`; never raises for a step's failure."""
    ids = list(article_ids)
    outcomes = []
    for registered_step in _ordered():
        outcomes.append(StepOutcome(name=registered_step.name, ok=_run(registered_step, ids)))
    return StoredOutcome(steps=tuple(outcomes))


def _run(registered_step: _Registered, ids: list[int]) -> bool:
    try:
        if registered_step.atomic:
            with transaction.atomic():
                registered_step.step(ids)
        else:
            registered_step.step(ids)
    except StepSkipped as skipped:
        logger.warning("after-store step %s skipped for articles %s: %s", registered_step.name, ids[:10], skipped)
        return False
    except Exception:
        logger.exception("after-store step %s failed for articles %s", registered_step.name, ids[:10])
        return False
    return True


# The reader of comments' tone, registered by analysis (which holds the tone model): articles
# counts the tone of a post's comments in memory without importing the layer above it.
CommentTones = Callable[[Sequence[str]], list[str]]
_COMMENT_TONES: list[CommentTones] = []


def register_comment_tones(reader: CommentTones) -> None:
    """`reader(texts)` answers "negative", "neutral" or "positive" for each text."""
    _COMMENT_TONES[:] = [reader]


def comment_tones(texts: Sequence[str]) -> list[str] | None:
    """The tone of each comment, or None when no reader is registered (or it failed: comments
    are then counted without a tone, and the post is stored all the same)."""
    if not _COMMENT_TONES or not texts:
        return None
    try:
        return _COMMENT_TONES[0](texts)
    except Exception:
        logger.warning("comment tones could not be read", exc_info=True)
        return None
