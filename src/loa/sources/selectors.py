"""Reads of sources and their health. Sources and outlets are shared by every unit:
the press is public, and the bloc's department maintains one registry for all."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum
from django.utils import timezone

from loa.accounts.scoping import Actor, scope_of
from loa.sources.models import HealthEpisode, Outlet, PipelineCount, Source, SourceHealth


def _may_read(user: Actor) -> bool:
    scope = scope_of(user)
    return not scope.empty


def source_list(*, user: Actor) -> QuerySet[Source]:
    sources = Source.objects.select_related("outlet", "owner_unit").order_by("outlet__name", "name")
    return sources if _may_read(user) else sources.none()


def outlet_list(*, user: Actor) -> QuerySet[Outlet]:
    outlets = Outlet.objects.order_by("name")
    return outlets if _may_read(user) else outlets.none()


@dataclass
class Health:
    """Counters of the last days for one source (or all), by stage and outcome."""

    by_stage: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))
    reasons: list[tuple[str, str, str, int]] = field(default_factory=list)

    def get(self, stage: str, outcome: str) -> int:
        return self.by_stage.get(stage, {}).get(outcome, 0)

    def total(self, *outcomes: str) -> int:
        return sum(counts.get(outcome, 0) for counts in self.by_stage.values() for outcome in outcomes)

    @property
    def fetched(self) -> int:
        return self.get("fetch", "kept")

    @property
    def not_modified(self) -> int:
        return self.get("discover", "not_modified")

    @property
    def stored(self) -> int:
        return self.get("store", "kept")

    @property
    def discarded(self) -> int:
        # Links already seen are counted at discovery but are not losses.
        return self.total("discarded") - sum(n for s, o, r, n in self.reasons if r == "already_seen")

    @property
    def named_reasons(self) -> list[tuple[str, str, str, int]]:
        """`reasons` as people read them: stage, outcome and reason by name."""
        from loa.sources.labels import outcome_label, reason_label, stage_label

        return [(stage_label(s), outcome_label(o), reason_label(r), n) for s, o, r, n in self.reasons]

    @property
    def quarantined(self) -> int:
        return self.total("quarantined")

    @property
    def failed(self) -> int:
        return self.total("failed", "retry")


def source_health(*, source_ids: list[int] | None = None, days: int = 7) -> dict[int | None, Health]:
    since = timezone.localdate() - dt.timedelta(days=days - 1)
    rows = PipelineCount.objects.filter(day__gte=since)
    if source_ids is not None:
        rows = rows.filter(source_id__in=source_ids)
    grouped = rows.values("source_id", "stage", "outcome", "reason").annotate(n=Sum("count"))
    out: dict[int | None, Health] = defaultdict(Health)
    for row in grouped:
        health = out[row["source_id"]]
        stage = health.by_stage.setdefault(row["stage"], {})
        stage[row["outcome"]] = stage.get(row["outcome"], 0) + row["n"]
        health.reasons.append((row["stage"], row["outcome"], row["reason"], row["n"]))
    for health in out.values():
        health.reasons.sort(key=lambda r: -r[3])
    return dict(out)


def source_vitals(*, source_ids: list[int]) -> dict[int, SourceHealth]:
    """Each source's volume health at the last sweep (`loa.sources.health`), by source id.
    The callers have the sources from `source_list`, so the reader's scope is already applied."""
    return {row.source_id: row for row in SourceHealth.objects.filter(source_id__in=source_ids)}


def health_episodes(*, source_id: int, limit: int = 10) -> list[HealthEpisode]:
    return list(HealthEpisode.objects.filter(source_id=source_id).order_by("-opened_at")[:limit])
