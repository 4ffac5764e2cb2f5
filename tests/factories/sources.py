"""Sources of coverage."""

from __future__ import annotations

from loa.sources.models import Source


def make_source(
    url: str = "https://baothu.vn/rss/tin-moi.rss",
    *,
    name: str = "Tin mới",
    outlet_name: str = "Báo Thử",
) -> Source:
    from loa.sources.services import source_create

    return source_create(url=url, name=name, outlet_name=outlet_name)
