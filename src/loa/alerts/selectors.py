"""Reads of alerts and rules, scoped by the unit that owns the rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from loa.accounts import roles
from loa.accounts.scoping import Actor, scope_filter, user_can
from loa.alerts.models import Alert, AlertRule, AlertStatus, Delivery


def rule_list(*, user: Actor) -> QuerySet[AlertRule]:
    rules = AlertRule.objects.select_related("unit", "organisation", "saved_query")
    return scope_filter(rules, user, unit_field="unit")


def rule_editable(*, user: Actor, rule: AlertRule | None) -> bool:
    return user_can(user, roles.WRITE, rule.unit if rule else None)


def alert_list(*, user: Actor, status: str | None = None) -> QuerySet[Alert]:
    alerts = Alert.objects.select_related(
        "rule__unit", "rule__organisation", "rule__saved_query", "article__outlet", "story"
    )
    if status in AlertStatus.values:
        alerts = alerts.filter(status=status)
    return scope_filter(alerts, user, unit_field="rule__unit")


def alerts_open_count(*, user: Actor) -> int:
    return alert_list(user=user, status=AlertStatus.OPEN).filter(suppressed=False).count()


def alert_deliveries(*, alert: Alert) -> QuerySet[Delivery]:
    return alert.deliveries.select_related("message").order_by("channel", "target")


@dataclass(frozen=True)
class PathStage:
    article_id: int
    title: str
    outlet: str
    channel_label: str
    at: dt.datetime


def alert_path(*, alert: Alert) -> list[PathStage]:
    """A crossover alert's path, from where the story first appeared off the press to the press
    and beyond, as recorded when it was raised."""
    stages = alert.data.get("path") if isinstance(alert.data, dict) else None
    if not isinstance(stages, list):
        return []
    return [
        PathStage(
            article_id=int(s["article"]),
            title=str(s["title"]),
            outlet=str(s["outlet"]),
            channel_label=str(s["channel_label"]),
            at=dt.datetime.fromisoformat(str(s["at"])),
        )
        for s in stages
        if isinstance(s, dict)
    ]
