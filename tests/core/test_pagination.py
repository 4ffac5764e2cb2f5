"""Every paginated list answers a page number from the address, however large or malformed,
with a page (the last one when it is past the end), never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from loa.accounts.models import User
from loa.analysis.models import ArticleAnalysis
from loa.analysis.services import articles_analyse, saved_query_save
from tests.conftest import login
from tests.factories import Tree, make_article

pytestmark = pytest.mark.django_db

PAGE_NUMBERS = ("99999999999999999999", "9223372036854775808", "1e9", "-3", "0", "abc", "", "2")


def test_every_paginated_list_answers_any_page_number(tree: Tree, users: dict[str, User]) -> None:
    article = make_article("Tập đoàn Điện lực Việt Nam tăng giá điện")
    articles_analyse(articles=[article])
    story = ArticleAnalysis.objects.get(article=article).story
    assert story is not None
    saved = saved_query_save(name="Giá điện", query='"giá điện"', unit=tree.evn)
    urls = [
        (reverse("articles:list"), {}),
        (reverse("articles:search"), {"q": "giá điện"}),
        (reverse("articles:search"), {"q": "không có bài nào như thế"}),
        (reverse("incidents:list"), {}),
        (reverse("digests:list"), {}),
        (reverse("alerts:list"), {}),
        (reverse("accounts:list"), {}),
        (reverse("analysis:story", args=[story.pk]), {}),
        (reverse("analysis:query", args=[saved.pk]), {}),
        (reverse("core:audit"), {}),
    ]
    for user in (users["admin"], users["bloc_staff"]):
        client = login(user)
        for url, params in urls:
            for number in PAGE_NUMBERS:
                response = client.get(url, {**params, "page": number})
                assert response.status_code in (200, 403, 404), (user.username, url, number, response.status_code)
    # The search shows the last page when asked for one past it.
    found = login(users["bloc_staff"]).get(reverse("articles:search"), {"q": "giá điện", "page": PAGE_NUMBERS[0]})
    assert found.status_code == 200
    assert found.context["results"].page == 1
    assert [hit.article for hit in found.context["results"].hits] == [article]
