"""The read API: keys, the volume series and its totals against search, bad parameters."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.accounts.services import api_token_create, api_token_revoke
from loa.analysis.models import ArticleEntity, Organisation
from loa.analysis.selectors import search_conditions
from loa.analysis.services import articles_analyse
from loa.articles import search
from loa.articles.models import Article
from loa.articles.selectors import article_search
from tests.factories import make_article
from tests.factories.analysis import entity_set, make_evn, make_pvn

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, hour: int = 9) -> dt.datetime:
    """A moment of a Vietnamese day, fixed: the series do not depend on when the suite runs."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=VN)


def key_for(user: User) -> str:
    return api_token_create(user=user, name="thử").key


def get(key: str | None, path: str, **params: Any) -> Any:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return Client().get(f"/api/v1/{path}", params, headers=headers)


def analysed(
    title: str, when: dt.datetime, *, tone: str = "neutral", salience: str | None = None, body: str | None = None
) -> Article:
    article = make_article(title=title, published_at=when, body=body)
    articles_analyse(articles=[article])
    entity_set(article, salience=salience, tone=tone)
    return article


@pytest.fixture
def evn() -> Organisation:
    return make_evn(None)


@pytest.fixture
def coverage(evn: Organisation) -> dict[str, Article]:
    """EVN's coverage on 3, 5 and 5 March 2025 (one naming it in passing), and an article on 4 March
    about something else; 23:30 on the 5th is still the 5th in Vietnam (16:30 UTC)."""
    return {
        "a": analysed("EVN tăng giá điện", at("2025-03-03"), tone="negative"),
        "b": analysed("EVN khánh thành nhà máy điện", at("2025-03-05"), tone="positive"),
        "c": analysed("Giá xăng giảm, EVN được nhắc tới", at("2025-03-05", 23), salience="passing"),
        "other": make_article(
            "Thời tiết miền Bắc chuyển lạnh", body="Trời rét đậm kéo dài.", published_at=at("2025-03-04")
        ),
    }


def test_a_key_is_required_and_revocable(users: dict[str, User], coverage: dict[str, Article]) -> None:
    assert get(None, "organisations").status_code == 401
    assert get("loa_wrong", "organisations").status_code == 401
    assert Client().get("/api/v1/organisations", HTTP_AUTHORIZATION="Token x").status_code == 401
    issued = api_token_create(user=users["evn_staff"], name="thử")
    assert issued.token.token_hash != issued.key
    assert issued.key not in issued.token.token_hash
    assert get(issued.key, "organisations").status_code == 200
    assert api_token_revoke(user=users["evn_staff"], pk=issued.token.pk)
    assert get(issued.key, "organisations").status_code == 401


def test_a_disabled_account_s_key_is_refused(users: dict[str, User]) -> None:
    key = key_for(users["evn_staff"])
    User.objects.filter(pk=users["evn_staff"].pk).update(is_active=False)
    assert get(key, "organisations").status_code == 401


def test_volume_lists_every_day_with_tones(users: dict[str, User], coverage: dict[str, Article]) -> None:
    key = key_for(users["evn_staff"])
    response = get(key, "analytics/volume", org="EVN", **{"from": "2025-03-01", "to": "2025-03-07"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [p["date"] for p in body["series"]] == [f"2025-03-0{d}" for d in range(1, 8)]
    counts = {p["date"]: (p["count"], p["negative"], p["neutral"], p["positive"]) for p in body["series"]}
    assert counts["2025-03-03"] == (1, 1, 0, 0)
    assert counts["2025-03-04"] == (0, 0, 0, 0)
    assert counts["2025-03-05"] == (2, 0, 1, 1)
    assert body["total"] == 3


def test_relevant_counts_only_articles_about_the_organisation(
    users: dict[str, User], coverage: dict[str, Article]
) -> None:
    key = key_for(users["evn_staff"])
    dates = {"from": "2025-03-01", "to": "2025-03-07"}
    relevant = get(key, "analytics/volume", org="EVN", relevance="relevant", **dates).json()
    assert relevant["total"] == 2
    assert ArticleEntity.objects.filter(article=coverage["c"], salience="passing").exists()
    # Relevance is the organisation's: a query alone cannot ask for it.
    assert get(key, "analytics/volume", q="evn", relevance="relevant", **dates).status_code == 400


def test_weeks_and_months_start_on_monday_and_the_first(users: dict[str, User], coverage: dict[str, Article]) -> None:
    key = key_for(users["evn_staff"])
    weeks = get(key, "analytics/volume", org="EVN", interval="week", **{"from": "2025-02-20", "to": "2025-03-12"})
    assert [(p["date"], p["count"]) for p in weeks.json()["series"]] == [
        ("2025-02-17", 0),
        ("2025-02-24", 0),
        ("2025-03-03", 3),
        ("2025-03-10", 0),
    ]
    months = get(key, "analytics/volume", org="EVN", interval="month", **{"from": "2025-01-15", "to": "2025-04-02"})
    assert [(p["date"], p["count"]) for p in months.json()["series"]] == [
        ("2025-01-01", 0),
        ("2025-02-01", 0),
        ("2025-03-01", 3),
        ("2025-04-01", 0),
    ]


def _loa_search_total(capsys: pytest.CaptureFixture[str], *args: str) -> int:
    from loa import cli

    assert cli.main(["search", *args, "--json"]) == 0
    return int(json.loads(capsys.readouterr().out)["total"])


@pytest.mark.parametrize("query", ["evn", "giá điện", "evn -xăng", '"nhà máy" OR lạnh'])
def test_a_query_s_total_is_loa_search_s(
    query: str, users: dict[str, User], coverage: dict[str, Article], capsys: pytest.CaptureFixture[str]
) -> None:
    key = key_for(users["evn_staff"])
    for start, end in (("2025-03-01", "2025-03-31"), ("2025-03-04", "2025-03-05"), ("2025-03-06", "2025-03-09")):
        body = get(key, "analytics/volume", q=query, **{"from": start, "to": end}).json()
        expected = _loa_search_total(capsys, query, "--from", start, "--to", end)
        assert body["total"] == expected == sum(p["count"] for p in body["series"]), (query, start, end)
        articles = get(key, "articles", q=query, **{"from": start, "to": end}).json()
        assert articles["total"] == expected
    assert get(key, "analytics/volume", q="evn", **{"from": "2025-03-01", "to": "2025-03-31"}).json()["total"] == 3


def test_an_organisation_s_total_is_its_count_in_search(
    users: dict[str, User], evn: Organisation, coverage: dict[str, Article]
) -> None:
    make_pvn(None)
    analysed("PVN và EVN ký hợp tác", at("2025-03-06"))
    key = key_for(users["evn_staff"])
    for start, end in (("2025-03-01", "2025-03-31"), ("2025-03-05", "2025-03-05")):
        filters = search.Filters(
            date_from=dt.date.fromisoformat(start),
            date_to=dt.date.fromisoformat(end),
            conditions=search_conditions(organisation_ids=[evn.pk]),
        )
        expected = article_search(user=SYSTEM, query="", filters=filters).total
        body = get(key, "analytics/volume", org=str(evn.pk), **{"from": start, "to": end}).json()
        assert body["total"] == expected
        assert get(key, "articles", org="EVN", **{"from": start, "to": end}).json()["total"] == expected
    assert get(key, "analytics/volume", org="evn", **{"from": "2025-03-01", "to": "2025-03-31"}).json()["total"] == 4


def test_normalised_share_of_all_coverage(users: dict[str, User], coverage: dict[str, Article]) -> None:
    key = key_for(users["evn_staff"])
    body = get(
        key, "analytics/volume", org="EVN", normalise="true", **{"from": "2025-03-03", "to": "2025-03-05"}
    ).json()
    assert [p["share"] for p in body["series"]] == [1.0, 0.0, 1.0]


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"org": "EVN", "from": "2025-03-01", "to": "2025-03-07", "interval": "year"}, 400),
        ({"org": "EVN", "from": "2025-03-07", "to": "2025-03-01"}, 400),
        ({"org": "EVN", "from": "2020-01-01", "to": "2025-03-01"}, 400),  # five years of days
        ({"org": "EVN", "from": "01/03/2025", "to": "2025-03-07"}, 422),
        ({"org": "EVN", "to": "2025-03-07"}, 422),
        ({"org": "KHONGCO", "from": "2025-03-01", "to": "2025-03-07"}, 400),
        ({"q": "(evn giá", "from": "2025-03-01", "to": "2025-03-07"}, 400),
        ({"q": "-evn", "from": "2025-03-01", "to": "2025-03-07"}, 400),
        ({"org": "EVN", "from": "2025-03-01", "to": "2025-03-07", "relevance": "some"}, 400),
    ],
)
def test_bad_parameters_are_refused_with_a_message(
    params: dict[str, str], status: int, users: dict[str, User], evn: Organisation
) -> None:
    response = get(key_for(users["evn_staff"]), "analytics/volume", **params)
    assert response.status_code == status, response.content
    assert response.json()["detail"]


def test_five_years_of_months_are_fine(users: dict[str, User], evn: Organisation) -> None:
    body = get(
        key_for(users["evn_staff"]),
        "analytics/volume",
        org="EVN",
        interval="month",
        **{"from": "2020-01-01", "to": "2025-03-01"},
    ).json()
    assert len(body["series"]) == 63


def test_outlets_terms_stories_and_share_of_voice(users: dict[str, User], coverage: dict[str, Article]) -> None:
    make_pvn(None)
    analysed("PVN khai thác dầu khí", at("2025-03-06"), body="Tập đoàn Dầu khí khai thác mỏ mới ngoài khơi.")
    key = key_for(users["evn_staff"])
    dates = {"from": "2025-03-01", "to": "2025-03-07"}
    outlets = get(key, "analytics/outlets", org="EVN", **dates).json()
    assert outlets == [{"outlet_id": outlets[0]["outlet_id"], "name": "Báo Thử", "count": 3}]
    terms = [t["term"] for t in get(key, "analytics/terms", org="EVN", **dates).json()]
    assert "evn" in terms
    assert "rét" not in terms
    stories = get(key, "analytics/stories", org="EVN", **dates).json()
    assert sum(s["count"] for s in stories) == 3
    voices = get(key, "analytics/share-of-voice", org=["EVN", "PVN"], **dates).json()
    assert [(v["short_name"], v["count"], v["share"]) for v in voices] == [("EVN", 3, 0.75), ("PVN", 1, 0.25)]


def test_the_schema_and_docs_page_need_no_cdn(users: dict[str, User]) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/analytics/volume" in schema["paths"]
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_requests_past_the_rate_get_429(users: dict[str, User], monkeypatch: pytest.MonkeyPatch) -> None:
    """Each account has its own allowance (two a minute here); the next request is refused."""
    from django.core.cache import cache

    from loa.api.v1 import KeyThrottle, api

    throttle = next(t for t in api.throttle if isinstance(t, KeyThrottle))  # type: ignore[union-attr]
    monkeypatch.setattr(throttle, "num_requests", 2)
    cache.clear()
    key, other = key_for(users["evn_staff"]), key_for(users["pvn_staff"])
    try:
        assert [get(key, "organisations").status_code for _ in range(3)] == [200, 200, 429]
        assert get(other, "organisations").status_code == 200
    finally:
        cache.clear()


def test_the_account_page_makes_lists_and_revokes_one_s_own_keys(users: dict[str, User]) -> None:
    from tests.conftest import login

    client = login(users["evn_viewer"])
    page = client.post("/accounts/api-keys/", {"action": "create", "name": "Bảng tin"})
    assert page.status_code == 200
    key = page.context["issued"].key
    assert key in page.content.decode()
    assert get(key, "organisations").status_code == 200
    listed = client.get("/accounts/api-keys/").content.decode()
    assert "Bảng tin" in listed
    assert key not in listed  # shown once only
    token = users["evn_viewer"].api_tokens.get()
    # Another person cannot revoke it.
    login(users["evn_staff"]).post("/accounts/api-keys/", {"action": "revoke", "token": token.pk})
    assert get(key, "organisations").status_code == 200
    assert client.post("/accounts/api-keys/", {"action": "revoke", "token": token.pk}).status_code == 302
    assert get(key, "organisations").status_code == 401
    assert client.post("/accounts/api-keys/", {"action": "nonsense"}).status_code == 400


def test_loa_token_create_prints_a_working_key(users: dict[str, User], capsys: pytest.CaptureFixture[str]) -> None:
    from loa import cli

    assert cli.main(["token", "create", "evn.staff", "--name", "máy chủ"]) == 0
    key = capsys.readouterr().out.strip()
    assert get(key, "organisations").status_code == 200
    assert cli.main(["token", "list", "evn.staff"]) == 0
    assert "máy chủ" in capsys.readouterr().out
    assert cli.main(["token", "create", "khong.co"]) != 0


def test_pages_are_bounded(users: dict[str, User], evn: Organisation) -> None:
    key = key_for(users["bloc_staff"])
    assert get(key, "organisations", limit=100).status_code == 200
    assert get(key, "organisations", limit=1000).status_code == 422
    assert get(key, "articles", size=100000).json()["results"] == []


def test_days_are_vietnamese_days_at_both_ends(
    users: dict[str, User], evn: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    """01:00 on the 6th in Vietnam is 18:00 on the 5th in UTC: it is the 6th's, in the series and in search."""
    analysed("EVN sửa chữa lưới điện", at("2025-03-06", 1))
    analysed("EVN kiểm tra trạm biến áp", at("2025-03-05", 23))
    key = key_for(users["evn_staff"])
    for day in ("2025-03-05", "2025-03-06"):
        body = get(key, "analytics/volume", org="EVN", **{"from": day, "to": day}).json()
        assert [(p["date"], p["count"]) for p in body["series"]] == [(day, 1)]
        assert _loa_search_total(capsys, "evn", "--from", day, "--to", day) == 1
