"""A query that cannot be read is explained in the reader's language, not in Vietnamese with an
English gloss ("(unexpected token)")."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from loa.analysis.services import saved_query_save
from loa.articles import search
from tests.factories import Tree

pytestmark = pytest.mark.django_db

CASES = [
    ("a)", "Không hiểu “)” trong truy vấn.", "Cannot read “)” in the query."),
    ("(a b", "Thiếu dấu “)”.", "A closing parenthesis “)” is missing."),
    ("NEAR(a, x)", "NEAR(…, n) cần một số chỉ khoảng cách.", "NEAR(…, n) needs a number for the distance."),
    ("NEAR(a b c, 3)", "NEAR(a b, n) cần đúng hai từ hoặc cụm từ.", "NEAR(a b, n) needs exactly two words or phrases."),
    (
        "-xăng",
        "Truy vấn cần ít nhất một từ không bị loại trừ.",
        "The query needs at least one word that is not excluded.",
    ),
]


@pytest.mark.parametrize(("query", "vietnamese", "english"), CASES)
def test_search_explains_a_bad_query_in_the_readers_language(query: str, vietnamese: str, english: str) -> None:
    for language, expected in (("vi", vietnamese), ("en", english)):
        with translation.override(language):
            assert search.run(query).error == expected


def test_a_saved_query_is_refused_in_the_readers_language(tree: Tree) -> None:
    with translation.override("en"), pytest.raises(ValidationError, match=re.escape("Cannot read “)” in the query.")):
        saved_query_save(name="x", query="a)", unit=tree.evn)
