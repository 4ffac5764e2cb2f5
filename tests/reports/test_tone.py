"""A periodic report counts the tone staff corrected, in its table and its chart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from loa.accounts.scoping import SYSTEM
from loa.analysis.models import Sentiment
from loa.analysis.services import correction_record
from loa.articles.models import Article
from loa.reports import services
from loa.reports.models import Letterhead
from tests.factories import Tree

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))


def test_a_corrected_tone_is_what_the_report_counts(tree: Tree, board: Letterhead, october: None) -> None:
    article = Article.objects.get(title="EVN và câu chuyện ngày 3")
    correction_record(article=article, user=None, sentiment=Sentiment.NEUTRAL)
    report = services.report_prepare(
        user=SYSTEM, unit=tree.bloc, letterhead=board, period="2026-10", now=dt.datetime(2026, 11, 2, tzinfo=VN)
    )
    coverage: dict[str, Any] = next(item for item in report.figures["sections"] if item["key"] == "coverage")
    assert coverage["tables"][0]["rows"][0][:3] == ["EVN", "4", "1"]  # one negative article left, not two
    tone = coverage["charts"][1]
    assert sum(tone["series"]["negative"]) == 1
    assert tone["series"]["neutral"][2] == 1  # 03/10
