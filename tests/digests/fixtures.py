"""Coverage over a day for the press review: stories in several outlets, in and out of the window."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from loa.accounts.scoping import SYSTEM
from loa.analysis.models import ArticleAnalysis, ArticleEntity, Mention, Organisation
from loa.articles.models import Article
from loa.digests.models import DigestProfile
from tests.factories import Tree, make_article

DAY = dt.date(2026, 11, 20)
VN = dt.timezone(dt.timedelta(hours=7))


def at(hour: int, minute: int = 0, *, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def covered(title: str, *, when: dt.datetime, domain: str, tone: str = "neutral", body: str | None = None) -> Article:
    """An article, analysed, with the tone the test needs (the model is not under test here)."""
    from loa.analysis.services import articles_analyse

    article = make_article(title=title, outlet_domain=domain, outlet_name=domain, published_at=when, body=body)
    articles_analyse(articles=[article])
    ArticleAnalysis.objects.filter(article=article).update(sentiment=tone)
    Mention.objects.filter(article=article).update(sentiment=tone)
    ArticleEntity.objects.filter(article=article).update(tone=tone)
    return article


PRICE_BODY = (
    "Tập đoàn Điện lực Việt Nam (EVN) điều chỉnh giá bán lẻ điện bình quân tăng 4,8% từ ngày 20/11. "
    "EVN cho biết việc điều chỉnh nhằm bù đắp chi phí mua điện và khoản lỗ lũy kế những năm trước. "
    "Người dân phản ánh hóa đơn tiền điện tháng này tăng cao bất thường so với cùng kỳ."
)


@pytest.fixture
def profile(tree: Tree, evn: Organisation) -> DigestProfile:
    from loa.digests.services import ProfileData, profile_save

    return profile_save(
        user=SYSTEM,
        profile=None,
        data=ProfileData(
            name="Điểm báo thử",
            unit=tree.bloc,
            build_at=dt.time(6, 30),
            recipients="lanh-dao@duk.example.vn\nban-tuyen-giao@duk.example.vn",
        ),
    )


@pytest.fixture
def day_coverage(evn: Organisation) -> dict[str, Any]:
    """Yesterday 06:30 → today 06:30: a negative story in two outlets, a positive one, one
    article just before the window and one just after."""
    first = covered(
        "EVN tăng giá điện từ hôm nay",
        when=at(8, 0, day=DAY - dt.timedelta(days=1)),
        domain="vnexpress.net",
        tone="negative",
        body=PRICE_BODY,
    )
    copy = covered(
        "Giá điện tăng 4,8%, EVN nói gì",
        when=at(9, 30, day=DAY - dt.timedelta(days=1)),
        domain="tuoitre.vn",
        tone="negative",
        body=PRICE_BODY + " Bản của Tuổi Trẻ.",
    )
    good = covered(
        "EVN hoàn thành đường dây 500 kV mạch 3",
        when=at(5, 0),
        domain="nhandan.vn",
        tone="positive",
        body="Tập đoàn Điện lực Việt Nam (EVN) khánh thành đường dây 500 kV mạch 3 sau sáu tháng thi công thần tốc.",
    )
    before = covered(
        "EVN họp báo tuần trước",
        when=at(6, 0, day=DAY - dt.timedelta(days=1)),
        domain="vov.vn",
        body="EVN họp báo định kỳ về cung ứng điện mùa khô.",
    )
    after = covered(
        "EVN ký hợp đồng mới", when=at(7, 0), domain="vov.vn", body="EVN ký hợp đồng mua bán điện với đối tác Lào."
    )
    return {"first": first, "copy": copy, "good": good, "before": before, "after": after}
