"""Articles, stored through the pipeline's write path."""

from __future__ import annotations

import datetime as dt

from loa.articles.models import Article
from tests.factories.base import next_number


def make_article(
    title: str = "Tập đoàn Điện lực Việt Nam tăng giá điện",
    *,
    body: str | None = None,
    url: str | None = None,
    outlet_domain: str = "baothu.vn",
    outlet_name: str = "Báo Thử",
    published_at: dt.datetime | None = None,
    lead: str = "",
) -> Article:
    """An article stored through the pipeline's write path.

    Unless the test says when, it was published just now: windows counted back from now
    ("the last 24 hours", "7 days before the incident") and today's press review then hold it
    whatever the date and time of day the suite runs at.
    """
    from django.db import transaction
    from django.utils import timezone

    from loa.articles.services import article_store
    from loa.sources.services import outlet_for_url

    number = next_number()
    url = url or f"https://{outlet_domain}/bai-viet/{number}.html"
    body = body or (
        f"Bài số {number}. Tập đoàn Điện lực Việt Nam (EVN) cho biết giá điện bình quân sẽ điều chỉnh "
        "từ ngày 11/10. Theo EVN, mức điều chỉnh giúp bù đắp chi phí sản xuất. "
        f"Chuyên gia nhận định tác động tới lạm phát không lớn. Mã tin {number * 7919}."
    )
    with transaction.atomic():
        return article_store(
            outlet=outlet_for_url(url, name=outlet_name),
            source=None,
            url=url,
            title=title,
            lead=lead,
            body=body,
            published_at=published_at or timezone.now(),
        )
