"""Alert rules: what raises an alert, once per trigger, and what is sent, suppressed or escalated."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from loa.alerts.models import Alert, AlertStatus, Channel, Delivery
from loa.alerts.services import (
    alert_acknowledge,
    alerts_escalate,
    alerts_evaluate_articles,
    alerts_sweep,
    rule_save,
)
from loa.analysis.models import ArticleAnalysis, Organisation, Story
from loa.analysis.services import saved_query_save
from loa.articles import hooks
from loa.articles.hooks import articles_stored
from loa.articles.models import Article
from tests.factories import Tree, coverage, unit_of

pytestmark = pytest.mark.django_db


def negative_rule(evn: Organisation, **options: Any) -> Any:
    defaults: dict[str, Any] = {
        "emails": "tuyengiao@evn.example.vn\nbantuyengiao@duk.example.vn",
        "webhook_url": "https://hooks.example.vn/loa",
        "suppression_minutes": 0,
    }
    return rule_save(
        name="EVN tiêu cực", unit=unit_of(evn), kind="negative_prominent", organisation=evn, **{**defaults, **options}
    )


def test_a_rule_watches_one_organisation_or_one_query(tree: Tree, evn: Organisation) -> None:
    query = saved_query_save(name="Giá điện", query='"giá điện"', unit=tree.evn)
    with pytest.raises(ValidationError):
        rule_save(name="Cả hai", unit=tree.evn, kind="negative_prominent", organisation=evn, saved_query=query)
    with pytest.raises(ValidationError):
        rule_save(name="Không gì", unit=tree.evn, kind="negative_prominent")
    with pytest.raises(ValidationError, match="e-mail"):
        rule_save(name="Sai thư", unit=tree.evn, kind="negative_prominent", organisation=evn, emails="không-phải-thư")
    with pytest.raises(ValidationError):
        rule_save(name="Sai k", unit=tree.evn, kind="volume_spike", organisation=evn, window="week")
    with pytest.raises(ValidationError):
        rule_save(name="Lạ", unit=tree.evn, kind="negative_prominent", organisation=evn, colour="đỏ")


def test_negative_coverage_in_a_prominent_outlet_raises_one_alert_per_article(evn: Organisation) -> None:
    rule = negative_rule(evn, max_tier=1)
    hit = coverage(tone="negative", tier=1)
    minor = coverage(tone="negative", tier=3, domain="baonho.vn")
    calm = coverage(tone="neutral", tier=1)
    raised = alerts_evaluate_articles(article_ids=[hit.pk, minor.pk, calm.pk])
    assert [a.article_id for a in raised] == [hit.pk]
    alert = raised[0]
    assert alert.trigger_key == f"article:{hit.pk}"
    assert alert.severity == rule.severity
    assert alert.status == AlertStatus.OPEN
    assert "baolon.vn" in alert.title
    assert hit.title in alert.title
    assert alert.story_id == ArticleAnalysis.objects.get(article=hit).story_id
    # One message per recipient and channel, queued with the alert.
    assert sorted(Delivery.objects.values_list("channel", "target")) == [
        (Channel.EMAIL, "bantuyengiao@duk.example.vn"),
        (Channel.EMAIL, "tuyengiao@evn.example.vn"),
        (Channel.WEBHOOK, "https://hooks.example.vn/loa"),
    ]
    # Evaluated again (a second worker, a restart, the sweep): nothing new.
    assert alerts_evaluate_articles(article_ids=[hit.pk]) == []
    alerts_sweep(now=timezone.now())
    assert Alert.objects.count() == 1
    assert Delivery.objects.count() == 3


def test_weak_mentions_and_disabled_rules_raise_nothing(evn: Organisation) -> None:
    rule = negative_rule(evn, min_prominence=1.01)
    article = coverage()
    assert alerts_evaluate_articles(article_ids=[article.pk]) == []
    rule_save(
        rule=rule,
        name=rule.name,
        unit=unit_of(rule),
        kind=rule.kind,
        organisation=evn,
        min_prominence=0.0,
        enabled=False,
    )
    assert alerts_evaluate_articles(article_ids=[article.pk]) == []


def test_a_saved_query_rule_follows_its_matches(tree: Tree, evn: Organisation) -> None:
    query = saved_query_save(name="Hóa đơn", query='"hóa đơn"', unit=tree.evn)
    rule_save(name="Hóa đơn tiêu cực", unit=tree.evn, kind="negative_prominent", saved_query=query, max_tier=2)
    article = coverage(tier=2)
    other = coverage(tier=2, title="EVN khánh thành nhà máy mới")
    raised = alerts_evaluate_articles(article_ids=[article.pk, other.pk])
    assert [a.article_id for a in raised] == [article.pk]


def test_the_sweep_raises_what_a_crashed_worker_left_unraised(evn: Organisation) -> None:
    negative_rule(evn)
    article = coverage()  # analysed, but no evaluation ran: the worker died in between
    assert Alert.objects.count() == 0
    assert alerts_sweep()["raised"] == 1
    assert Alert.objects.get().article_id == article.pk
    assert alerts_sweep()["raised"] == 0


def test_suppression_window_shows_later_alerts_without_sending_them(evn: Organisation) -> None:
    negative_rule(evn, suppression_minutes=60)
    first, second = coverage(), coverage()
    alerts_evaluate_articles(article_ids=[first.pk])
    alerts_evaluate_articles(article_ids=[second.pk])
    alerts = {a.article_id: a for a in Alert.objects.all()}
    assert alerts[first.pk].suppressed is False
    assert alerts[first.pk].deliveries.count() == 3
    assert alerts[second.pk].suppressed is True
    assert alerts[second.pk].deliveries.count() == 0
    # Past the window, the next one is sent again.
    Alert.objects.update(created_at=timezone.now() - dt.timedelta(minutes=61))
    third = coverage()
    (alert,) = alerts_evaluate_articles(article_ids=[third.pk])
    assert alert.suppressed is False
    assert alert.deliveries.count() == 3


def test_unacknowledged_alerts_escalate_once(evn: Organisation) -> None:
    negative_rule(evn, escalate_after_minutes=30, escalation_emails="bithu@evn.example.vn")
    first, second = coverage(), coverage()
    alerts_evaluate_articles(article_ids=[first.pk, second.pk])
    acknowledged = Alert.objects.get(article=second)
    alert_acknowledge(alert=acknowledged, user=None)
    now = timezone.now()
    assert alerts_escalate(now=now + dt.timedelta(minutes=29)) == 0
    assert alerts_escalate(now=now + dt.timedelta(minutes=31)) == 1
    assert alerts_escalate(now=now + dt.timedelta(minutes=45)) == 0
    escalations = Delivery.objects.filter(channel=Channel.ESCALATION)
    assert [(d.alert.article_id, d.target) for d in escalations] == [(first.pk, "bithu@evn.example.vn")]
    assert Alert.objects.get(article=first).escalated_at is not None


def _spike(evn: Organisation, window: str, baseline: list[int], current: int, now: dt.datetime) -> None:
    step = dt.timedelta(days=1) if window == "day" else dt.timedelta(hours=1)
    for back, count in enumerate(reversed(baseline), start=1):
        for _ in range(count):
            coverage(tone="neutral", created_at=now - step * back - dt.timedelta(minutes=5), tier=2)
    for _ in range(current):
        coverage(tone="neutral", created_at=now - dt.timedelta(minutes=5), tier=2)


@pytest.mark.parametrize(("window", "history"), [("day", 14), ("hour", 12)])
def test_volume_spike_is_the_last_window_above_mean_plus_k_sigma(evn: Organisation, window: str, history: int) -> None:
    rule = rule_save(
        name="Đột biến", unit=unit_of(evn), kind="volume_spike", organisation=evn, window=window, sigma=2.0, min_count=3
    )
    now = timezone.now().replace(minute=30)
    baseline = [1, 2] * (history // 2)  # mean 1.5, σ 0.5: threshold 2.5 at k = 2
    _spike(evn, window, baseline, 3, now)
    alerts_sweep(now=now)
    (alert,) = Alert.objects.all()
    assert alert.data["current"] == 3
    assert alert.data["mean"] == 1.5
    assert alert.data["threshold"] == 2.5
    assert alert.trigger_key.startswith(f"spike:{window}:")
    # The same window again: the same alert.
    alerts_sweep(now=now + dt.timedelta(minutes=1))
    assert Alert.objects.count() == 1
    # k is the rule's: at k = 4 (threshold 3.5) three articles are no spike.
    Alert.objects.all().delete()
    rule_save(rule=rule, name=rule.name, unit=unit_of(rule), kind=rule.kind, organisation=evn, sigma=4.0)
    alerts_sweep(now=now)
    assert Alert.objects.count() == 0


def test_no_spike_below_the_minimum_count(evn: Organisation) -> None:
    rule_save(name="Đột biến", unit=unit_of(evn), kind="volume_spike", organisation=evn, window="day", min_count=5)
    now = timezone.now()
    _spike(evn, "day", [0] * 14, 4, now)
    alerts_sweep(now=now)
    assert Alert.objects.count() == 0


def test_a_fast_growing_negative_story_raises_once(evn: Organisation) -> None:
    rule_save(
        name="Câu chuyện",
        unit=unit_of(evn),
        kind="negative_story",
        organisation=evn,
        story_hours=6,
        story_min_articles=3,
        story_negative_share=0.6,
    )
    articles = [coverage(domain=f"bao{n}.vn", tone=tone) for n, tone in enumerate(["negative", "neutral", "neutral"])]
    story = Story.objects.get(analyses__article=articles[0])
    assert {a.analysis.story_id for a in Article.objects.filter(pk__in=[a.pk for a in articles])} == {story.pk}
    alerts_sweep()
    assert Alert.objects.count() == 0  # one of three negative: below the share
    ArticleAnalysis.objects.filter(article=articles[1]).update(sentiment="negative")  # two of three: 0.67
    alerts_sweep()
    (alert,) = Alert.objects.all()
    assert alert.story_id == story.pk
    assert alert.trigger_key == f"story:{story.pk}"
    alerts_sweep()
    assert Alert.objects.count() == 1


def test_evaluation_errors_never_reach_the_ingest(
    evn: Organisation, caplog: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    negative_rule(evn)
    article = coverage()
    monkeypatch.delitem(hooks._STEPS, "analyse")  # keep the tone the test set
    with mock.patch("loa.alerts.services._evaluate_negative_prominent", side_effect=RuntimeError("hỏng")):
        outcome = articles_stored(article_ids=[article.pk])
    assert not outcome.succeeded("evaluate alerts")
    assert "after-store step evaluate alerts failed" in caplog.text
    assert alerts_sweep()["raised"] == 1  # and the sweep raises it after all
