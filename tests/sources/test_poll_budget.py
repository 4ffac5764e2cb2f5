"""A poll of a slow host stops fetching child sitemaps when its time budget is spent or
the host runs out of time, keeping what it found; the rest waits for the next poll."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from loa.articles.polling import POLL_BUDGET_SECONDS, source_poll
from loa.pipeline.fetch import FetchPolicy, Response
from loa.pipeline.outcomes import retry
from loa.sources.models import Outlet, Source, SourceKind

pytestmark = pytest.mark.django_db

INDEX = "https://bao.example.vn/sitemap.xml"


def _index() -> bytes:
    children = "".join(f"<sitemap><loc>https://bao.example.vn/sitemap-{n}.xml</loc></sitemap>" for n in range(5))
    return f'<?xml version="1.0"?><sitemapindex>{children}</sitemapindex>'.encode()


def _child(url: str) -> bytes:
    day = timezone.now().date().isoformat()
    name = url.rsplit("/", 1)[1].removesuffix(".xml")
    entry = f"<url><loc>https://bao.example.vn/{name}-bai-viet.html</loc><lastmod>{day}</lastmod></url>"
    return f'<?xml version="1.0"?><urlset>{entry}</urlset>'.encode()


class SlowHost:
    """Answers every fetch after `seconds` of a fake clock, or fails as a slow host."""

    def __init__(self, clock: list[float], seconds: float, fail_from: int | None = None) -> None:
        self.policy = FetchPolicy()
        self.clock = clock
        self.seconds = seconds
        self.fail_from = fail_from
        self.fetched: list[str] = []

    def get(self, url: str, **_options: Any) -> Response:
        self.fetched.append(url)
        self.clock[0] += self.seconds
        if self.fail_from is not None and len(self.fetched) > self.fail_from:
            raise retry("deadline", f"{url} took longer than 30s")
        body = _index() if url == INDEX else _child(url)
        return Response(url, url, 200, {"content-type": "application/xml"}, body, timezone.now(), self.seconds)


@pytest.fixture
def source() -> Source:
    outlet = Outlet.objects.create(name="Báo", domain="bao.example.vn")
    return Source.objects.create(outlet=outlet, name="Sitemap", url=INDEX, kind=SourceKind.SITEMAP)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr("loa.articles.polling.time.monotonic", lambda: now[0])
    return now


def test_a_poll_stops_fetching_child_sitemaps_past_its_budget(source: Source, clock: list[float]) -> None:
    host = SlowHost(clock, seconds=POLL_BUDGET_SECONDS * 2 / 3)  # 40 s a fetch
    result = source_poll(source=source, fetcher=host)  # type: ignore[arg-type]
    # The index (40 s) and one child (80 s in) — not five children (240 s).
    assert host.fetched == [INDEX, "https://bao.example.vn/sitemap-0.xml"]
    assert result.found == 1
    assert result.error == ""


def test_a_poll_stops_at_the_first_child_that_runs_out_of_time(source: Source, clock: list[float]) -> None:
    host = SlowHost(clock, seconds=1.0, fail_from=2)
    result = source_poll(source=source, fetcher=host)  # type: ignore[arg-type]
    assert len(host.fetched) == 3  # the index, a child, and the slow child; not the other three
    assert result.found == 1  # what it found is kept
