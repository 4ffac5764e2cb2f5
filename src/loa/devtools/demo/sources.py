"""Demo data: the replay server's outlets as sources, for `loa up --demo`."""

from __future__ import annotations

from django.db import transaction

from loa.sources.models import OutletTier, Source
from loa.sources.services import source_create

# (outlet index on the replay server, path, kind, name, prominence)
REPLAY_SOURCES: list[tuple[int, str, str, str, int]] = [
    (0, "/rss/tin-moi.rss", "feed", "Tin mới (RSS)", 1),
    (1, "/atom.xml", "feed", "Tin mới (Atom)", 1),
    (2, "/rss/tin-moi.rss", "feed", "Tin mới (RSS)", 2),
    (3, "/sitemap.xml", "sitemap", "Sitemap tin tức", 2),
    (4, "/rss/tin-moi.rss", "feed", "Tin mới (RSS)", 2),
    (5, "/chuyen-muc/thoi-su", "html", "Chuyên mục Thời sự", 3),
]


@transaction.atomic
def demo_sources(*, host: str, first_port: int, interval_minutes: int = 2) -> int:
    """Register the replay server's outlets as sources (once); returns how many were added."""
    from loa.devtools.replay import OUTLETS

    added = 0
    for outlet, path, kind, name, tier in REPLAY_SOURCES:
        url = f"http://{host}:{first_port + outlet}{path}"
        if Source.objects.filter(url=url).exists():
            continue
        source_create(
            url=url,
            name=name,
            kind=kind,
            outlet_name=OUTLETS[outlet][1],
            tier=tier,
            interval_minutes=interval_minutes,
        )
        added += 1
    return added


@transaction.atomic
def demo_social_sources_add(*, bases: list[str], interval_minutes: int = 2) -> int:
    """Register the demo's YouTube channel, Facebook page, Telegram channel and forum section
    (served by `loa social-replay-server` at `bases`) as sources (once); returns how many were added."""
    from loa.devtools.platforms.demo import demo_social_sources

    added = 0
    for item in demo_social_sources(bases):
        if Source.objects.filter(url=item.url).exists():
            continue
        # Minor outlets: a page's negative post is not "in a major outlet" for the demo's rules.
        source_create(
            url=item.url, name=item.name, kind=item.kind, tier=OutletTier.MINOR, interval_minutes=interval_minutes
        )
        added += 1
    return added
