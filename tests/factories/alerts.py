"""Alert rules and alerts."""

from __future__ import annotations

from loa.alerts.models import Alert, AlertRule
from loa.articles.models import Article
from loa.units.models import Unit
from tests.factories.analysis import make_saved_query


def article_of(alert: Alert) -> Article:
    assert alert.article is not None
    return alert.article


def make_rule(unit: Unit, label: str) -> AlertRule:
    """The rule 'Quy tắc <label>' of the unit, on its saved query 'Truy vấn <label>'."""
    from loa.alerts.services import rule_save

    saved = make_saved_query(unit, label)
    return rule_save(name=f"Quy tắc {label}", unit=unit, kind="negative_prominent", saved_query=saved)


def make_alert(rule: AlertRule, label: str) -> Alert:
    """An open, high alert 'Cảnh báo <label>' of the rule."""
    return Alert.objects.create(rule=rule, trigger_key="test", title=f"Cảnh báo {label}", severity="high")
