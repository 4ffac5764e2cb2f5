"""Which articles a rule takes (how much they are about a monitored organisation), the tone
it reads (toward the organisation), and why an alert was raised (its explanation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from loa.alerts.explain import decimal, explanation_text, title_terms
from loa.alerts.models import Alert, AlertRule, MinSalience
from loa.alerts.services import alerts_evaluate_articles, alerts_sweep, rule_save
from loa.analysis.models import ArticleAnalysis, Organisation
from loa.analysis.services import saved_query_save
from loa.devtools.demo import alerts as demo_alerts
from loa.devtools.demo import analysis as demo_analysis
from loa.devtools.demo import units as demo_units
from loa.outbox.models import Message
from tests.conftest import login
from tests.factories import Tree, coverage, unit_of
from tests.factories.analysis import entity_set

pytestmark = pytest.mark.django_db


def _negative_rule(evn: Organisation, **options: Any) -> Any:
    return rule_save(
        name="EVN tiêu cực",
        unit=unit_of(evn),
        kind="negative_prominent",
        organisation=evn,
        suppression_minutes=0,
        min_prominence=0.0,
        **options,
    )


@pytest.mark.parametrize(
    ("minimum", "alerted"),
    [
        (None, {"main", "secondary"}),
        ("main", {"main"}),
        ("secondary", {"main", "secondary"}),
        ("passing", {"main", "secondary", "passing"}),
    ],
)
def test_a_rule_takes_articles_at_least_as_salient_as_it_asks(
    evn: Organisation, minimum: str | None, alerted: set[str]
) -> None:
    _negative_rule(evn, **({"min_salience": minimum} if minimum else {}))
    articles = {salience: coverage(salience=salience) for salience in ("main", "secondary", "passing")}
    raised = alerts_evaluate_articles(article_ids=[a.pk for a in articles.values()])
    assert {a.article_id for a in raised} == {articles[s].pk for s in alerted}


def test_an_article_without_salience_raises_nothing(evn: Organisation) -> None:
    # Mentioned, but analysis judged nothing about the organisation: not the rule's article.
    _negative_rule(evn, min_salience="passing")
    article = coverage()
    article.entities.all().delete()
    assert alerts_evaluate_articles(article_ids=[article.pk]) == []


def test_negative_coverage_is_read_from_the_tone_toward_the_organisation(evn: Organisation) -> None:
    _negative_rule(evn)
    # A negative article (a storm) in which EVN restores power: no alert about EVN.
    helping = coverage(tone="negative")
    entity_set(helping, salience="main", tone="positive")
    # A calm article that is critical of EVN: an alert.
    critical = coverage(tone="neutral")
    entity_set(critical, salience="main", tone="negative")
    raised = alerts_evaluate_articles(article_ids=[helping.pk, critical.pk])
    assert [a.article_id for a in raised] == [critical.pk]
    (organisation,) = raised[0].explanation["organisations"]
    assert (organisation["name"], organisation["salience"], organisation["tone"]) == ("EVN", "main", "negative")


def test_a_query_rule_takes_only_articles_about_a_monitored_organisation(tree: Tree, evn: Organisation) -> None:
    query = saved_query_save(name="Hóa đơn", query='"hóa đơn"', unit=tree.evn)
    rule = rule_save(name="Hóa đơn tiêu cực", unit=tree.evn, kind="negative_prominent", saved_query=query, max_tier=2)
    about = coverage(tier=2, salience="secondary")
    passing = coverage(tier=2, salience="passing")
    nobody = coverage(tier=2, title="Tranh cãi về hóa đơn của một công ty nước ngoài")
    nobody.entities.all().delete()  # analysis found no monitored organisation in it
    ids = [about.pk, passing.pk, nobody.pk]
    assert [a.article_id for a in alerts_evaluate_articles(article_ids=ids)] == [about.pk]
    # A disabled organisation is no longer followed: its articles no longer count.
    Organisation.objects.filter(pk=evn.pk).update(enabled=False)
    Alert.objects.all().delete()
    assert alerts_evaluate_articles(article_ids=ids) == []
    # Opting in to every match takes them all, the article about nobody too.
    rule_save(rule=rule, name=rule.name, unit=tree.evn, kind=rule.kind, saved_query=query, max_tier=2, every_match=True)
    assert {a.article_id for a in alerts_evaluate_articles(article_ids=ids)} == set(ids)


def test_only_query_rules_may_take_every_match(evn: Organisation) -> None:
    with pytest.raises(ValidationError):
        _negative_rule(evn, every_match=True)


def test_a_spike_says_why(evn: Organisation, settings: Any) -> None:
    settings.LANGUAGE_CODE = "vi"
    rule_save(
        name="Đột biến",
        unit=unit_of(evn),
        kind="volume_spike",
        organisation=evn,
        window="hour",
        sigma=2.0,
        min_count=3,
        emails="tuyengiao@evn.example.vn",
    )
    now = timezone.now().replace(minute=30)
    for back, count in enumerate([1, 2] * 6, start=1):
        for _ in range(count):
            coverage(tone="neutral", created_at=now - dt.timedelta(hours=back, minutes=5), tier=2)
    current = [
        coverage(tone="negative", created_at=now - dt.timedelta(minutes=5), domain=domain)
        for domain in ("baolon.vn", "baolon.vn", "baokhac.vn")
    ]
    passing = coverage(tone="negative", created_at=now - dt.timedelta(minutes=5), salience="passing")
    alerts_sweep(now=now)
    (alert,) = Alert.objects.all()
    why = alert.explanation
    assert why["count"] == 3
    assert why["mean"] == 1.5
    assert sorted(why["articles"]) == sorted(a.pk for a in current)
    assert passing.pk not in why["articles"]
    assert why["outlets"] == [{"name": "baolon.vn", "articles": 2}, {"name": "baokhac.vn", "articles": 1}]
    assert why["outlet_count"] == 2
    stories = ArticleAnalysis.objects.filter(article__in=current).values_list("story_id", flat=True)
    assert {s["id"] for s in why["stories"]} == set(stories)
    assert sum(s["articles"] for s in why["stories"]) == 3
    assert "tiền điện" in why["terms"]
    assert why["negative_share"] == 1.0
    assert why["usual_negative_share"] == 0.0
    with translation.override("vi"):
        text = explanation_text(why)
    assert text.startswith("3 bài trong 1 giờ so với trung bình 1,5")
    assert "2 báo: baolon.vn (2), baokhac.vn (1)" in text
    assert "tỷ lệ tiêu cực 100% so với 0% thường lệ" in text
    # The e-mail says why too.
    (message,) = Message.objects.all()
    assert text in message.body_text


def test_explanations_write_numbers_the_vietnamese_way() -> None:
    assert decimal(2.1) == "2,1"
    assert decimal(12.0, 0) == "12"
    assert title_terms(["Giá điện tăng từ hôm nay", "Giá điện tăng 4,8%", "Trận mưa lớn"]) == ["giá điện", "tăng"]
    # Overlapping syllable pairs are seams, not phrases; copies of one headline count once.
    same = "Thủ tướng yêu cầu EVN minh bạch giá điện"
    assert title_terms([same, same, "Thủ tướng yêu cầu rà soát giá điện"]) == ["thủ tướng", "yêu cầu", "giá điện"]
    why = {
        "kind": "window",
        "count": 12,
        "hours": 1,
        "mean": 2.1,
        "story_count": 3,
        "stories": [{"id": 1, "title": "Giá điện tăng", "articles": 8}],
        "outlet_count": 5,
        "outlets": [{"name": "Báo A", "articles": 6}],
        "terms": ["giá điện"],
        "negative_share": 0.67,
        "usual_negative_share": 0.18,
    }
    with translation.override("vi"):
        assert explanation_text(why) == (
            "12 bài trong 1 giờ so với trung bình 2,1; 3 câu chuyện: «Giá điện tăng» (8), và 2 nữa; "
            "5 báo: Báo A (6), và 4 nữa; từ khóa: giá điện; tỷ lệ tiêu cực 67% so với 18% thường lệ"
        )
    assert explanation_text({}) == ""


def test_the_alert_page_says_why(evn: Organisation, users: dict[str, Any]) -> None:
    _negative_rule(evn)
    article = coverage(salience="secondary")
    (alert,) = alerts_evaluate_articles(article_ids=[article.pk])
    page = login(users["evn_staff"]).get(reverse("alerts:detail", args=[alert.pk])).content.decode()
    assert 'data-testid="alert-explanation"' in page
    assert explanation_text(alert.explanation) in page
    rules = login(users["evn_staff"]).get(reverse("alerts:rules")).content.decode()
    assert str(MinSalience(alert.rule.min_salience).label) in rules


def test_the_demo_rules_take_only_articles_about_a_monitored_organisation() -> None:
    units = demo_units.units_load()
    demo_analysis.load(units)
    demo_alerts.load(units, webhook_url="")
    rules = list(AlertRule.objects.all())
    assert rules
    assert {(r.min_salience, r.every_match) for r in rules} == {("secondary", False)}
