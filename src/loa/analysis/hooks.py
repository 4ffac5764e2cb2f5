"""Steps run when staff correct the tone of articles, registered by the modules above analysis
that keep their own copy of a tone (a draft press review's items), so a correction reaches them
without analysis importing them. Each step runs in its own savepoint; one that fails is logged
and does not undo the correction or the other steps."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from django.db import transaction

logger = logging.getLogger(__name__)

ToneStep = Callable[[Sequence[int]], None]
_STEPS: dict[str, ToneStep] = {}


def register(name: str, step: ToneStep) -> None:
    """Register `step(article_ids)` under `name` (registering a name again replaces it)."""
    _STEPS[name] = step


def tone_corrected(*, article_ids: Sequence[int]) -> int:
    """Run every registered step for `article_ids`; returns how many failed."""
    failed = 0
    for name, step in list(_STEPS.items()):
        try:
            with transaction.atomic():
                step(article_ids)
        except Exception:
            failed += 1
            logger.exception("tone correction step %s failed for articles %s", name, list(article_ids)[:10])
    return failed
