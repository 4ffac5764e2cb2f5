"""Analysed coverage and saved queries."""

from __future__ import annotations

import datetime as dt

from loa.alerts.models import AlertRule
from loa.analysis.models import ArticleAnalysis, ArticleEntity, Mention, Organisation, SavedQuery
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
    salience: str | None = None,
) -> Article:
    """An article naming EVN, analysed, with the tone the test needs (the model is not under test here):
    each organisation it names is in it in that tone toward it, with `salience` (by default what
    analysis judged, main where it judged nothing)."""
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
        entity_set(article, salience=salience, tone=tone)
    return article


def entity_set(article: Article, *, salience: str | None, tone: str, organisation: Organisation | None = None) -> None:
    """The organisation (by default each one the article mentions) is in the article in this
    tone toward it, with this salience (None: as analysis judged it, main if it did not)."""
    organisations = (
        [organisation.pk]
        if organisation is not None
        else set(Mention.objects.filter(article=article).values_list("organisation_id", flat=True))
    )
    for pk in organisations:
        entity = ArticleEntity.objects.filter(article=article, organisation_id=pk).first()
        if entity is None:
            ArticleEntity.objects.create(
                article=article,
                organisation_id=pk,
                salience=salience or "main",
                tone=tone,
                published_at=article.published_at,
            )
        else:
            entity.tone, entity.salience = tone, salience or entity.salience
            entity.save(update_fields=["tone", "salience"])


def make_saved_query(unit: Unit, label: str) -> SavedQuery:
    """The saved query 'Truy vấn <label>' of the unit, searching for the label."""
    from loa.analysis.services import saved_query_save

    return saved_query_save(name=f"Truy vấn {label}", query=label.lower(), unit=unit)


def make_organisation(unit: Unit | None, label: str) -> Organisation:
    """The organisation 'Tổng công ty <label>' the unit monitors, known by its label."""
    from loa.analysis.services import organisation_save

    return organisation_save(name=f"Tổng công ty {label}", short_name=label, unit=unit, acronyms=label)


def make_evn(unit: Unit | None, **terms: str) -> Organisation:
    """Vietnam Electricity, monitored for the unit, known by its acronym (and `terms`: aliases, context…)."""
    return _monitored(unit, "Tập đoàn Điện lực Việt Nam", "EVN", terms)


def make_pvn(unit: Unit | None, **terms: str) -> Organisation:
    """The Vietnam Oil and Gas Group, monitored for the unit, known by its acronym (and `terms`)."""
    return _monitored(unit, "Tập đoàn Dầu khí Quốc gia Việt Nam", "PVN", terms)


def _monitored(unit: Unit | None, name: str, acronym: str, terms: dict[str, str]) -> Organisation:
    from loa.analysis.services import organisation_save

    known = {"aliases", "ambiguous_aliases", "context_terms", "exclusion_terms"}
    assert set(terms) <= known, f"not an organisation's terms: {sorted(set(terms) - known)}"
    return organisation_save(
        name=name,
        short_name=acronym,
        unit=unit,
        acronyms=acronym,
        aliases=terms.get("aliases", ""),
        ambiguous_aliases=terms.get("ambiguous_aliases", ""),
        context_terms=terms.get("context_terms", ""),
        exclusion_terms=terms.get("exclusion_terms", ""),
    )
