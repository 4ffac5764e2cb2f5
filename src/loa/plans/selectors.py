"""Reads of plans, campaigns (scoped by the plan's unit), their candidate outputs from monitoring,
and award entries (scoped by unit)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from loa.accounts.scoping import Actor, scope_filter
from loa.articles import search
from loa.articles.models import Article
from loa.plans.models import AwardEntry, Campaign, Plan

CANDIDATES = 30


def plan_list(*, user: Actor) -> QuerySet[Plan]:
    plans = Plan.objects.select_related("unit", "directive").annotate(campaign_count=Count("campaigns"))
    return scope_filter(plans, user, unit_field="unit")


def campaign_list(*, user: Actor) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.select_related("plan__unit", "event").annotate(output_count=Count("outputs"))
    return scope_filter(campaigns, user, unit_field="plan__unit")


@dataclass
class Candidate:
    article: Article
    linked: bool


def campaign_candidates(*, campaign: Campaign) -> list[Candidate]:
    """Articles published during the campaign that its search words find, best first; those
    already counted as outputs are marked."""
    if not campaign.query.strip():
        return []
    found = search.run(
        campaign.query,
        filters=search.Filters(date_from=campaign.start, date_to=campaign.end),
        order="relevance",
        limit=CANDIDATES,
        offset=0,
    )
    articles = Article.objects.select_related("outlet").in_bulk(found.ids)
    linked = set(campaign.outputs.values_list("article_id", flat=True))
    return [Candidate(article=articles[pk], linked=pk in linked) for pk in found.ids if pk in articles]


def entry_list(*, user: Actor, year: int | None = None) -> QuerySet[AwardEntry]:
    entries = scope_filter(AwardEntry.objects.select_related("unit"), user, unit_field="unit")
    return entries.filter(year=year) if year else entries
