"""Report counts take the articles about an organisation (main subject or a substantive part),
never one naming it in passing."""

from __future__ import annotations

import datetime as dt

import pytest

from loa.accounts.scoping import SYSTEM
from loa.analysis.models import ArticleEntity, Organisation, Salience
from loa.articles.models import Article
from loa.reports import services as reports
from loa.reports.models import Letterhead
from tests.factories import Tree

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))


def test_report_counts_leave_out_passing_mentions(tree: Tree, board: Letterhead, october: None) -> None:
    evn = Organisation.objects.get(short_name="EVN")
    # The judge's reading (not under test here): the article names EVN only in passing.
    ArticleEntity.objects.filter(
        article=Article.objects.get(title="EVN và câu chuyện ngày 3"), organisation=evn
    ).update(salience=Salience.PASSING)
    report = reports.report_prepare(
        user=SYSTEM, unit=tree.bloc, letterhead=board, period="2026-10", now=dt.datetime(2026, 11, 2, tzinfo=VN)
    )
    coverage = next(item for item in report.figures["sections"] if item["key"] == "coverage")
    assert coverage["tables"][0]["rows"][0][:3] == ["EVN", "3", "1"]  # of 4 articles naming it, 2 negative
    assert "4 bài viết" in coverage["paragraphs"][0]  # 3 about EVN and PVN's one
