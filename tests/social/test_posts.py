"""Posts from social platforms: stored once with an engagement snapshot each time they are seen,
the tone of their comments counted and forgotten, handles and profile links scrubbed."""

from __future__ import annotations

import datetime as dt

import pytest

from loa.accounts.models import User
from loa.articles import hooks
from loa.articles.models import Article, Engagement
from loa.articles.social import posts_store
from loa.pipeline.social import Engagement as Counts
from loa.pipeline.social import Post, count, scrub, title_from
from loa.sources.models import Channel
from loa.sources.services import page_outlet
from tests.conftest import login

pytestmark = pytest.mark.django_db

WHEN = dt.datetime(2025, 3, 5, 2, 0, tzinfo=dt.UTC)


def test_scrub_takes_out_what_names_a_person() -> None:
    text = (
        "Cảm ơn @nguyen.van.a đã phản ánh. Liên hệ https://www.facebook.com/nguyenvana hoặc "
        "a.nguyen@gmail.com, 0912 345 678. Giá điện tháng 3 tăng 4,8%."
    )
    cleaned = scrub(text)
    for trace in ("nguyen.van.a", "facebook.com", "gmail", "0912", "345 678"):
        assert trace not in cleaned
    assert "Giá điện tháng 3 tăng 4,8%." in cleaned


def test_counts_read_as_platforms_write_them() -> None:
    assert [count(v) for v in (12, "1.234", "1,2K", "3,4 triệu", "2.5M", "", None, -1, True, "abc")] == [
        12,
        1234,
        1200,
        3_400_000,
        2_500_000,
        None,
        None,
        None,
        None,
        None,
    ]


def test_a_title_is_the_first_sentence() -> None:
    assert title_from("EVN thông báo lịch cắt điện. Chi tiết bên dưới.") == "EVN thông báo lịch cắt điện."
    long = "Điện " * 80
    assert len(title_from(long)) <= 161
    assert title_from(long).endswith("…")


def test_a_post_is_stored_once_and_observed_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        hooks, "_COMMENT_TONES", [lambda texts: ["negative" if "tệ" in t else "neutral" for t in texts]]
    )
    outlet = page_outlet(key="facebook.com/evnhanoi", name="EVN Hà Nội")
    assert outlet.channel == Channel.SOCIAL
    post = Post(
        url="https://www.facebook.com/evnhanoi/posts/123",
        text="EVN Hà Nội thông báo lịch tạm ngừng cung cấp điện ngày 06/3. Mong khách hàng thông cảm.",
        published=WHEN,
        engagement=Counts(reactions=120, comments=3, shares=4),
        comment_texts=["Dịch vụ tệ quá", "Cảm ơn thông báo", "Mất điện cả ngày, tệ"],
    )
    first = posts_store(source=None, outlet=outlet, posts=[post], now=WHEN)
    assert (first.new, first.seen_again) == (1, 0)
    article = Article.objects.get()
    assert article.title == "EVN Hà Nội thông báo lịch tạm ngừng cung cấp điện ngày 06/3."
    post.engagement = Counts(reactions=300, comments=5, shares=9)
    post.comment_texts = []
    again = posts_store(source=None, outlet=outlet, posts=[post], now=WHEN + dt.timedelta(hours=2))
    assert (again.new, again.seen_again) == (0, 1)
    snapshots = list(Engagement.objects.order_by("observed_at"))
    assert [(s.reactions, s.comments, s.shares) for s in snapshots] == [(120, 3, 4), (300, 5, 9)]
    assert (snapshots[0].comments_read, snapshots[0].comments_negative, snapshots[0].comments_neutral) == (3, 2, 1)
    assert snapshots[1].comments_read == 0
    assert snapshots[1].interactions == 314


def test_an_empty_post_is_counted_not_stored() -> None:
    outlet = page_outlet(key="t.me/evnnews", name="EVN News")
    stored = posts_store(source=None, outlet=outlet, posts=[Post(url="https://t.me/evnnews/5", text="  @someone ")])
    assert (stored.new, stored.rejected, dict(stored.reasons)) == (0, 1, {"empty_post": 1})
    assert not Article.objects.exists()


def test_the_post_page_shows_its_engagement_curve(monkeypatch: pytest.MonkeyPatch, users: dict[str, User]) -> None:
    monkeypatch.setattr(hooks, "_COMMENT_TONES", [lambda texts: ["negative" for _t in texts]])
    outlet = page_outlet(key="facebook.com/evnhanoi", name="EVN Hà Nội")
    post = Post(
        url="https://www.facebook.com/evnhanoi/posts/9",
        text="EVN Hà Nội khuyến cáo tiết kiệm điện mùa nắng nóng.",
        engagement=Counts(reactions=10, comments=2, shares=1),
        comment_texts=["Giá cao quá", "Mất điện hoài"],
    )
    posts_store(source=None, outlet=outlet, posts=[post], now=WHEN)
    post.engagement, post.comment_texts = Counts(reactions=40, comments=5, shares=3), []
    posts_store(source=None, outlet=outlet, posts=[post], now=WHEN + dt.timedelta(hours=1))
    article = Article.objects.get()
    page = login(users["evn_staff"]).get(f"/articles/{article.pk}/").content.decode()
    assert 'data-testid="engagement"' in page
    assert 'data-chart="chart-engagement"' in page
    assert page.count("<tr><td>") == 2  # two observations
    assert "Sắc thái của 2 bình luận đã đọc" not in page  # the latest observation read none
    assert "Giá cao quá" not in page
    first = Engagement.objects.order_by("observed_at").first()
    assert first is not None
    assert (first.comments_read, first.comments_negative) == (2, 2)
