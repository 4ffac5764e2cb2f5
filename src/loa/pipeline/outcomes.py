"""What a stage did with an item: kept it, or discarded, quarantined or deferred it.

Discard means the item is not wanted (a duplicate, not an article, not Vietnamese);
quarantine means something is wrong with it that a person or a later version of Loa
should look at (it could not be parsed); retry means the failure is probably passing
(a timeout, a 503). Every outcome is counted per source, stage and reason.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    KEPT = "kept"
    NOT_MODIFIED = "not_modified"
    DISCARDED = "discarded"
    QUARANTINED = "quarantined"
    RETRY = "retry"
    FAILED = "failed"


class Stage(StrEnum):
    DISCOVER = "discover"
    FETCH = "fetch"
    EXTRACT = "extract"
    DEDUP = "dedup"
    STORE = "store"


class StageError(Exception):
    """A stage could not keep its item; `outcome` says how the pipeline treats that."""

    # Not a frozen dataclass: the interpreter and contextlib assign __traceback__.
    def __init__(self, outcome: Outcome, reason: str, detail: str = "") -> None:
        super().__init__(outcome, reason, detail)
        self.outcome = outcome
        self.reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.outcome}: {self.reason}" + (f" ({self.detail})" if self.detail else "")


def discard(reason: str, detail: str = "") -> StageError:
    return StageError(Outcome.DISCARDED, reason, detail)


def quarantine(reason: str, detail: str = "") -> StageError:
    return StageError(Outcome.QUARANTINED, reason, detail)


def retry(reason: str, detail: str = "") -> StageError:
    return StageError(Outcome.RETRY, reason, detail)
