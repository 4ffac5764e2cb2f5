"""Social alerts: a story that starts off the press (a forum, a fanpage, a video) and reaches a
prominent press outlet raises one alert with its path; a post whose engagement grows fast
raises one too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from loa.accounts.models import User
from loa.alerts.models import Alert
from loa.alerts.services import alerts_evaluate_articles, alerts_sweep, rule_save
from loa.analysis.models import Organisation, Story
from loa.articles.models import Article, Engagement
from loa.sources.models import Channel, Outlet
from tests.factories import coverage, unit_of

pytestmark = pytest.mark.django_db


def _posted(domain: str, channel: str, hours_ago: float, *, tier: int = 2) -> Article:
    article = coverage(domain=domain, tier=tier, tone="negative")
    Outlet.objects.filter(domain=domain).update(channel=channel)
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - dt.timedelta(hours=hours_ago))
    return article


def test_forum_then_press_then_fanpage_raises_exactly_one_alert(evn: Organisation, users: dict[str, User]) -> None:
    rule_save(name="Lan sang báo chí", unit=unit_of(evn), kind="crossover", organisation=evn, max_tier=1)
    forum = _posted("diendan-dien.vn", Channel.FORUM, 6)
    assert alerts_evaluate_articles(article_ids=[forum.pk]) == []
    minor_press = _posted("baonho.vn", Channel.PRESS, 4, tier=3)
    assert alerts_evaluate_articles(article_ids=[minor_press.pk]) == []  # not a prominent outlet yet
    press = _posted("baolon.vn", Channel.PRESS, 3, tier=1)
    (alert,) = alerts_evaluate_articles(article_ids=[press.pk])
    assert [stage["article"] for stage in alert.data["path"]] == [forum.pk, press.pk]
    fanpage = _posted("fanpage-tintuc.vn", Channel.SOCIAL, 1)
    assert alerts_evaluate_articles(article_ids=[fanpage.pk]) == []
    alerts_sweep()
    assert Alert.objects.count() == 1
    alert.refresh_from_db()  # raised once; its path now goes on to the fanpage

    story = Story.objects.get(analyses__article=forum)
    assert {a.analysis.story_id for a in Article.objects.all()} == {story.pk}
    assert alert.trigger_key == f"crossover:{story.pk}"
    assert alert.article_id == press.pk
    assert [stage["article"] for stage in alert.data["path"]] == [forum.pk, press.pk, fanpage.pk]
    assert [stage["channel"] for stage in alert.data["path"]] == ["forum", "press", "social"]
    assert "diendan-dien.vn" in alert.summary
    assert "baolon.vn" in alert.summary

    client = Client()
    client.force_login(users["evn_staff"])
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert 'data-testid="alert-path"' in page
    assert "Diễn đàn" in page


def test_a_story_that_began_in_the_press_is_no_crossover(evn: Organisation) -> None:
    rule_save(name="Lan sang báo chí", unit=unit_of(evn), kind="crossover", organisation=evn, max_tier=1)
    press = _posted("baolon.vn", Channel.PRESS, 5, tier=1)
    fanpage = _posted("fanpage-tintuc.vn", Channel.SOCIAL, 2)
    assert alerts_evaluate_articles(article_ids=[press.pk, fanpage.pk]) == []
    alerts_sweep()
    assert not Alert.objects.exists()


def test_engagement_growing_fast_raises_once(evn: Organisation) -> None:
    rule_save(
        name="Tương tác tăng nhanh",
        unit=unit_of(evn),
        kind="engagement",
        organisation=evn,
        min_interactions_per_hour=600,
    )
    post = _posted("fanpage-tintuc.vn", Channel.SOCIAL, 2)
    press = _posted("baolon.vn", Channel.PRESS, 2, tier=1)
    now = timezone.now()
    for article in (post, press):
        Engagement.objects.create(article=article, observed_at=now - dt.timedelta(hours=1), reactions=100, shares=10)
    # +250 in 30 minutes: 500 an hour, under the rule's 600.
    Engagement.objects.create(article=post, observed_at=now - dt.timedelta(minutes=30), reactions=300, shares=60)
    assert alerts_sweep(now=now)["raised"] == 0
    # +400 in the next 30 minutes: 800 an hour.
    Engagement.objects.create(article=post, observed_at=now, reactions=650, shares=110)
    Engagement.objects.create(article=press, observed_at=now, reactions=5000, shares=10)  # the press is not social
    assert alerts_sweep(now=now)["raised"] == 1
    (alert,) = Alert.objects.all()
    assert alert.article_id == post.pk
    assert alert.data["per_hour"] == 800.0
    Engagement.objects.create(article=post, observed_at=now + dt.timedelta(minutes=20), reactions=2000, shares=200)
    alerts_sweep(now=now + dt.timedelta(minutes=20))
    assert Alert.objects.count() == 1
