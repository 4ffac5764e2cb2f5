"""Where coverage appeared: search, `loa search`, the API and the periodic report tell the press
from social networks, forums and video."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from loa import cli
from loa.accounts.models import User
from loa.accounts.services import api_token_create
from loa.analysis.models import ArticleEntity, Organisation
from loa.analysis.report_sections import coverage_section
from loa.articles.models import Article
from loa.reports.periods import parse_period
from loa.reports.sections import ReportScope
from loa.sources.models import Channel, Outlet
from tests.conftest import login
from tests.factories import Tree, coverage

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _on(domain: str, channel: str, title: str) -> Article:
    article = coverage(domain=domain, title=title, tone="negative" if channel == Channel.FORUM else "neutral")
    Outlet.objects.filter(domain=domain).update(channel=channel)
    when = dt.datetime(2025, 3, 5, 9, tzinfo=VN)
    Article.objects.filter(pk=article.pk).update(published_at=when)
    ArticleEntity.objects.filter(article=article).update(published_at=when)
    return article


@pytest.fixture
def mixed(evn: Organisation) -> dict[str, Article]:
    return {
        "press": _on("baolon.vn", Channel.PRESS, "EVN điều chỉnh giá điện"),
        "forum": _on("diendan-dien.vn", Channel.FORUM, "EVN tính tiền điện sai, ai bị như tôi không"),
        "video": _on("kenh-video.vn", Channel.VIDEO, "EVN giải thích hóa đơn tiền điện"),
    }


def test_search_filters_by_kind_of_source(
    users: dict[str, User], mixed: dict[str, Article], capsys: pytest.CaptureFixture[str]
) -> None:
    page = login(users["evn_staff"]).get("/articles/search/", {"q": "EVN", "channel": "forum"})
    assert [hit.article.pk for hit in page.context["results"].hits] == [mixed["forum"].pk]
    assert "Diễn đàn" in page.content.decode()
    key = api_token_create(user=users["evn_staff"], name="thử").key
    api = Client().get("/api/v1/articles", {"q": "EVN", "channel": "video"}, headers={"Authorization": f"Bearer {key}"})
    assert [a["id"] for a in api.json()["results"]] == [mixed["video"].pk]
    assert (
        Client().get("/api/v1/articles", {"channel": "tv"}, headers={"Authorization": f"Bearer {key}"}).status_code
        == 400
    )
    assert cli.main(["search", "EVN", "--channel", "press", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [a["id"] for a in found["results"]] == [mixed["press"].pk]


def test_the_report_shares_coverage_by_kind_of_source(tree: Tree, mixed: dict[str, Article]) -> None:
    scope = ReportScope(unit=tree.bloc, period=parse_period("2025-03"))
    section = coverage_section(scope)
    (table,) = [t for t in section.tables if t.title == "Số bài theo loại nguồn"]
    assert table.rows == [
        ["Báo chí", "1", "33,3%", "0"],
        ["Diễn đàn", "1", "33,3%", "1"],
        ["Video", "1", "33,3%", "0"],
    ]


def test_loa_sources_add_offers_every_kind() -> None:
    from loa.sources.models import SourceKind

    parser = cli.build_parser()
    for kind in SourceKind:
        assert parser.parse_args(["sources", "add", "https://x.vn/", "--kind", str(kind)]).kind == kind


def test_the_source_form_checks_a_platform_s_address(users: dict[str, User], settings: Any) -> None:
    from loa.sources.forms import SourceForm

    def errors(url: str, kind: str) -> list[str]:
        form = SourceForm(
            {"url": url, "name": "Nguồn", "kind": kind, "tier": 2, "interval_minutes": 10}, user=users["admin"]
        )
        form.is_valid()
        return [str(e) for e in form.errors.get("url", [])]

    settings.LOA_FACEBOOK_PAGE_TOKENS = {"104857362": "EAAtok"}
    assert errors("https://www.youtube.com/channel/UCq7EVNdienluc", "youtube") == []
    assert errors("https://www.youtube.com/watch?v=abc", "youtube") == [
        "Địa chỉ này không phải của loại nguồn đã chọn."
    ]
    assert errors("https://t.me/s/evnhanoi_news", "telegram") == []
    assert errors("https://www.facebook.com/104857362", "facebook") == []
    assert "LOA_FACEBOOK_PAGE_TOKENS" in errors("https://www.facebook.com/999", "facebook")[0]
    assert errors("https://diendan.vn/forums/dien.12/index.rss", "forum") == []
