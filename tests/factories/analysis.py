"""Analysed coverage and saved queries."""

from __future__ import annotations

import datetime as dt

from loa.alerts.models import AlertRule
from loa.analysis.models import ArticleAnalysis, Mention, Organisation, SavedQuery
from loa.articles.models import Article
from loa.sources.models import Outlet
from loa.units.models import Unit
from tests.factories.articles import make_article


def unit_of(record: Organisation | AlertRule) -> Unit:
    assert record.unit is not None
    return record.unit


def coverage(
    *,
    tone: str = "negative",
    tier: int = 1,
    domain: str = "baolon.vn",
    title: str = "EVN bị phản ánh về hóa đơn tiền điện",
    created_at: dt.datetime | None = None,
    analyse: bool = True,
) -> Article:
    """An article naming EVN, analysed, with the tone the test needs (the model is not under test here)."""
    article = make_article(title=title, outlet_domain=domain, outlet_name=domain)
    Outlet.objects.filter(domain=domain).update(tier=tier)
    if created_at is not None:
        Article.objects.filter(pk=article.pk).update(created_at=created_at)
    article.refresh_from_db()
    if analyse:
        from loa.analysis.services import articles_analyse

        articles_analyse(articles=[article])
        ArticleAnalysis.objects.filter(article=article).update(sentiment=tone)
        Mention.objects.filter(article=article).update(sentiment=tone)
    return article


def make_saved_query(unit: Unit, label: str) -> SavedQuery:
    """The saved query 'Truy vấn <label>' of the unit, searching for the label."""
    from loa.analysis.services import saved_query_save

    return saved_query_save(name=f"Truy vấn {label}", query=label.lower(), unit=unit)


def make_organisation(unit: Unit | None, label: str) -> Organisation:
    """The organisation 'Tổng công ty <label>' the unit monitors, known by its label."""
    from loa.analysis.services import organisation_save

    return organisation_save(name=f"Tổng công ty {label}", short_name=label, unit=unit, acronyms=label)
