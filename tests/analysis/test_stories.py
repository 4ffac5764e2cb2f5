"""Stories: the service groups as the shared pure grouping does; the list and the page show
first outlet, outlets, growth as a chart, tone as a label and a rising marker only when rising."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.analysis import runtime
from loa.analysis.growth import growth, svg
from loa.analysis.models import ArticleAnalysis, Sentiment, Story, tone_label
from loa.analysis.selectors import story_list, story_tone
from loa.analysis.services import articles_analyse
from loa.articles.models import Article
from loa.pipeline import stories
from tests.conftest import login
from tests.factories import make_article

pytestmark = pytest.mark.django_db
T0 = timezone.now() - dt.timedelta(days=3)

FIRE_A = (
    "Cháy lớn tại chợ Đồng Xuân",
    "Rạng sáng nay, đám cháy bùng phát tại chợ Đồng Xuân (quận Hoàn Kiếm, Hà Nội), thiêu rụi 120 ki-ốt. "
    "Cảnh sát phòng cháy chữa cháy điều 20 xe chữa cháy tới hiện trường, khống chế ngọn lửa sau ba giờ.",
)
FIRE_B = (
    "Hà Nội: 120 ki-ốt chợ Đồng Xuân bị thiêu rụi",
    "Vụ cháy chợ Đồng Xuân ở quận Hoàn Kiếm rạng sáng nay đã thiêu rụi 120 ki-ốt của tiểu thương. "
    "Khoảng 20 xe chữa cháy được huy động; chưa có thiệt hại về người.",
)
FIRE_C = (
    "Tiểu thương chợ Đồng Xuân trắng tay sau đám cháy",
    "Sau vụ cháy rạng sáng nay tại chợ Đồng Xuân, Hoàn Kiếm, nhiều tiểu thương mất toàn bộ hàng hóa. "
    "Đám cháy thiêu rụi 120 ki-ốt; cảnh sát phòng cháy chữa cháy đang điều tra nguyên nhân.",
)
OTHER_FIRE = (
    "Cháy xưởng gỗ ở Bình Dương",
    "Đêm qua, một xưởng gỗ tại thị xã Thuận An, Bình Dương bốc cháy dữ dội. "
    "Cảnh sát phòng cháy chữa cháy điều 8 xe tới hiện trường, ngọn lửa được dập tắt sau hai giờ.",
)
GOLD_A = (
    "Giá vàng SJC tăng mạnh phiên sáng",
    "Sáng nay giá vàng miếng SJC tăng 200 nghìn đồng mỗi lượng so với cuối phiên trước, lên 36,9 triệu đồng.",
)
GOLD_B = (
    "Vàng SJC lên 36,9 triệu đồng mỗi lượng",
    "Giá vàng miếng SJC sáng nay tăng 200 nghìn đồng, lên 36,9 triệu đồng mỗi lượng, theo đà giá vàng thế giới.",
)


def _article(text: tuple[str, str], outlet: str, hours: float, *, at: dt.datetime = T0) -> Article:
    title, body = text
    return make_article(
        title, body=body, outlet_domain=outlet, outlet_name=outlet, published_at=at + dt.timedelta(hours=hours)
    )


def _story(article: Article) -> Story | None:
    return ArticleAnalysis.objects.get(article=article).story


def test_two_outlets_on_one_event_join_one_story_and_a_near_topic_distractor_does_not() -> None:
    first = _article(FIRE_A, "bao-a.vn", 0)
    second = _article(FIRE_B, "bao-b.vn", 2)
    distractor = _article(OTHER_FIRE, "bao-c.vn", 1)  # a fire too, another event
    articles_analyse(articles=[first, distractor, second])
    fire = _story(first)
    assert fire is not None
    assert _story(second) == fire
    assert _story(distractor) != fire
    fire.refresh_from_db()
    assert (fire.article_count, fire.outlet_count, fire.first_article_id) == (2, 2, first.pk)


def test_the_service_groups_exactly_as_the_shared_pure_grouping() -> None:
    """What `bench/stories.py` measures (`stories.group`) is what the service does."""
    arriving = [
        _article(FIRE_A, "bao-a.vn", 0),
        _article(GOLD_A, "bao-b.vn", 1),
        _article(OTHER_FIRE, "bao-c.vn", 2),
        _article(FIRE_B, "bao-b.vn", 3),
        _article(GOLD_B, "bao-a.vn", 4),
        _article(FIRE_C, "bao-c.vn", 5),
    ]
    for article in arriving:  # one at a time, as they are stored
        articles_analyse(articles=[article])
    models = runtime.classifier().models
    expected = stories.group(
        [stories.vector(a.title, a.lead, a.body, models.idf, models.default_idf) for a in arriving]
    )
    got = [_story(a) for a in arriving]
    assert None not in got
    as_index = {story: n for n, story in enumerate(dict.fromkeys(got))}
    assert [as_index[s] for s in got] == expected
    assert expected[0] == expected[3] == expected[5]  # the market fire
    assert expected[1] == expected[4]  # the gold price
    assert len(set(expected)) == 3  # the other fire alone


def test_story_tone_is_a_label_from_the_mean_polarity() -> None:
    story = Story(title="x", first_seen_at=T0, last_seen_at=T0, article_count=2, polarity_sum=-1.18)
    assert story_tone(story) == Sentiment.NEGATIVE
    story.polarity_sum = 0.1
    assert story_tone(story) == Sentiment.NEUTRAL
    story.polarity_sum = 1.0
    assert story_tone(story) == Sentiment.POSITIVE


def test_growth_counts_per_hour_with_gaps_and_per_day_for_long_stories() -> None:
    # From five past an hour, so the first two fall in one hour whatever the time of day.
    start = timezone.localtime(T0).replace(minute=5, second=0, microsecond=0)
    hourly = growth([start, start + dt.timedelta(minutes=10), start + dt.timedelta(hours=3)])
    assert hourly.hourly
    assert [b.count for b in hourly.buckets] == [2, 0, 0, 1]
    daily = growth([start, start + dt.timedelta(days=3)])
    assert not daily.hourly
    assert [b.count for b in daily.buckets] == [1, 0, 0, 1]
    assert growth([]).buckets == []
    drawn = svg(hourly, axis=True)
    assert drawn.count('<rect class="bar"') == 4
    assert 'height="0.0"' in drawn  # the empty hours are drawn as gaps
    assert "<script" not in drawn


def test_story_list_shows_labels_a_chart_and_a_rising_marker_only_when_rising(users: dict[str, User]) -> None:
    now = timezone.now()
    rising = [_article(FIRE_A, "bao-a.vn", -2, at=now), _article(FIRE_B, "bao-b.vn", -1, at=now)]
    lone = _article(GOLD_A, "bao-c.vn", -30, at=now)
    articles_analyse(articles=[*rising, lone])
    rows = {row.story: row for row in story_list(user=SYSTEM)}
    fire, gold = _story(rising[0]), _story(lone)
    assert rows[fire].rising  # type: ignore[index]
    assert not rows[gold].rising  # type: ignore[index]
    page = login(users["bloc_staff"]).get(reverse("analysis:stories")).content.decode()
    assert page.count('data-testid="story-row"') == 2
    assert page.count('data-testid="story-rising"') == 1  # not a marker on every row
    marker = re.search(r'<span class="badge rising" title="([^"]+)"', page)
    assert marker is not None
    assert "6" in marker.group(1)
    assert page.count('data-testid="story-growth"') == 2
    labels = re.findall(r'data-testid="story-tone">([^<]+)<', page)
    assert len(labels) == 2
    assert set(labels) <= {str(tone_label(t)) for t in Sentiment.values}
    assert not re.search(r">-?\d+[,.]\d\d<", page)  # no raw tone score


def test_story_page_shows_first_outlet_outlets_growth_and_tone(users: dict[str, User], tree: Any) -> None:
    first = _article(FIRE_A, "bao-a.vn", 0)
    second = _article(FIRE_B, "bao-b.vn", 2)
    third = _article(FIRE_C, "bao-b.vn", 5)
    articles_analyse(articles=[second, first, third])
    fire = _story(first)
    assert fire is not None
    assert _story(third) == fire
    page = login(users["bloc_staff"]).get(reverse("analysis:story", args=[fire.pk])).content.decode()
    outlets = re.search(r'data-testid="story-outlets">(.*?)</dd>', page, re.S)
    assert outlets is not None
    assert outlets.group(1).strip() == "bao-a.vn (1), bao-b.vn (2)"  # in the order they joined
    assert 'data-testid="story-growth"' in page
    assert page.count('<rect class="bar"') == 6  # hours 0..5 after the first article
    tone = re.search(r'data-testid="story-tone">([^<]+)<', page)
    assert tone is not None
    assert tone.group(1) in {str(tone_label(t)) for t in Sentiment.values}
