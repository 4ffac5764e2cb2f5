"""Search: diacritic-insensitive, phrases, OR, NOT, NEAR, filters, highlights, pages —
the same answers on SQLite FTS5 and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.articles import search
from loa.articles.selectors import article_search
from tests.factories import make_article

pytestmark = pytest.mark.django_db

TZ = dt.UTC


@pytest.fixture
def corpus() -> dict[str, object]:
    return {
        "evn": make_article(
            "EVN điều chỉnh giá điện bình quân",
            body="Tập đoàn Điện lực Việt Nam (EVN) điều chỉnh giá điện bình quân thêm 3%. Đảng ủy EVN chỉ đạo tuyên truyền.",
            outlet_domain="bao-a.vn",
            outlet_name="Báo A",
            published_at=dt.datetime(2026, 11, 1, 8, tzinfo=TZ),
        ),
        "pvn": make_article(
            "PVN khởi công dự án khí",
            body="Tập đoàn Dầu khí Quốc gia Việt Nam khởi công dự án khí. Giá xăng giảm nhẹ trong kỳ điều hành.",
            outlet_domain="bao-b.vn",
            outlet_name="Báo B",
            published_at=dt.datetime(2026, 11, 10, 8, tzinfo=TZ),
        ),
        "mix": make_article(
            "Giá điện và giá xăng cùng tăng",
            body="Giá điện tăng, giá xăng cũng tăng theo. Người dân băn khoăn về giá cả sinh hoạt trong tháng.",
            outlet_domain="bao-a.vn",
            outlet_name="Báo A",
            published_at=dt.datetime(2026, 11, 20, 8, tzinfo=TZ),
        ),
        "docs": make_article(
            "Quán triệt Kết luận 60-KL/ĐUK",
            body="Các cấp ủy quán triệt Kết luận số 60-KL/ĐUK về tiếp tục thực hiện Chỉ thị số 04-CT/ĐUK.",
            outlet_domain="bao-c.vn",
            outlet_name="Báo C",
            published_at=dt.datetime(2026, 10, 5, 8, tzinfo=TZ),
        ),
    }


def found(query: str, **filters: object) -> set[int]:
    return set(search.run(query, filters=search.Filters(**filters), limit=100).ids)  # type: ignore[arg-type]


def ids(corpus: dict[str, object], *names: str) -> set[int]:
    return {corpus[name].pk for name in names}  # type: ignore[attr-defined]


def test_without_diacritics_and_in_any_case(corpus: dict[str, object]) -> None:
    assert found("gia dien") == ids(corpus, "evn", "mix")
    assert found("GIÁ ĐIỆN") == ids(corpus, "evn", "mix")
    assert found("dang uy") == ids(corpus, "evn")


def test_phrases_or_and_not(corpus: dict[str, object]) -> None:
    assert found('"giá điện bình quân"') == ids(corpus, "evn")
    assert found("evn OR pvn") == ids(corpus, "evn", "pvn")
    assert found("giá -xăng") == ids(corpus, "evn")
    assert found("giá NOT xăng") == ids(corpus, "evn")
    assert found("(evn HOẶC pvn) khí") == ids(corpus, "pvn")


def test_proximity(corpus: dict[str, object]) -> None:
    assert found("NEAR(giá tăng, 2)") == ids(corpus, "mix")
    assert found("giá NEAR/1 xăng") == ids(corpus, "pvn", "mix")


def test_document_numbers(corpus: dict[str, object]) -> None:
    assert found("60-KL/ĐUK") == ids(corpus, "docs")
    assert found('"04-CT/DUK"') == ids(corpus, "docs")


def test_filters(corpus: dict[str, object]) -> None:
    assert found("giá", date_from=dt.date(2026, 11, 5)) == ids(corpus, "pvn", "mix")
    assert found("giá", date_to=dt.date(2026, 11, 5)) == ids(corpus, "evn")
    outlet_a = corpus["evn"].outlet_id  # type: ignore[attr-defined]
    assert found("giá", outlet_ids=(outlet_a,)) == ids(corpus, "evn", "mix")
    assert found("", outlet_ids=(outlet_a,)) == ids(corpus, "evn", "mix")


def test_order_and_pages(corpus: dict[str, object]) -> None:
    newest = search.run("giá", order="date", limit=2)
    assert newest.total == 3
    assert newest.ids == [corpus["mix"].pk, corpus["pvn"].pk]  # type: ignore[attr-defined]
    second = search.run("giá", order="date", limit=2, offset=2)
    assert second.ids == [corpus["evn"].pk]  # type: ignore[attr-defined]


def test_highlights_mark_the_original_words(corpus: dict[str, object]) -> None:
    results = article_search(user=SYSTEM, query='"gia dien"')
    titles = {hit.article.pk: hit.title_html for hit in results.hits}
    assert titles[corpus["mix"].pk] == "<mark>Giá điện</mark> và giá xăng cùng tăng"  # type: ignore[attr-defined]
    assert "<mark>giá điện</mark>" in next(h.snippet_html for h in results.hits if h.article.pk == corpus["evn"].pk)  # type: ignore[attr-defined]


def test_highlights_escape_html() -> None:
    from loa.text.query import parse, positive_phrases

    html = search.highlight('<script>alert("x")</script> giá điện', list(positive_phrases(parse("giá"))))
    assert "<script>" not in html
    assert "<mark>giá</mark>" in html


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "(",
        ")",
        "NEAR(",
        "-",
        "AND OR",
        "*",
        "^",
        "col:term",
        "a NEAR/x b",
        "\x00",
        "'; DROP TABLE articles_article; --",
    ],
)
def test_hostile_or_malformed_queries_never_break_search(corpus: dict[str, object], query: str) -> None:
    page = search.run(query)
    assert page.total >= 0
    assert isinstance(page.error, str)


def test_a_query_of_only_exclusions_is_explained(corpus: dict[str, object]) -> None:
    page = search.run("-xăng")
    assert page.ids == []
    assert "ít nhất một từ" in page.error


def test_anonymous_users_find_nothing(corpus: dict[str, object]) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert article_search(user=AnonymousUser(), query="giá").total == 0


def test_search_page(corpus: dict[str, object], users: dict[str, User]) -> None:
    from django.urls import reverse

    from tests.conftest import login

    body = (
        login(users["evn_viewer"]).get(reverse("articles:search"), {"q": "gia dien", "order": "date"}).content.decode()
    )
    assert "<mark>Giá điện</mark> và <mark>giá</mark> xăng cùng tăng" in body
    assert 'data-testid="search-total">2 ' in body
    broken = login(users["evn_viewer"]).get(reverse("articles:search"), {"q": "a)"})
    assert broken.status_code == 200
    assert 'role="alert"' in broken.content.decode()
