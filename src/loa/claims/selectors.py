"""Reads of the claims register, scoped by the claim's unit like incidents."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from loa.accounts.scoping import Actor, scope_filter
from loa.claims.models import Claim, MatchStatus


def claim_list(*, user: Actor, status: str | None = None) -> QuerySet[Claim]:
    claims = Claim.objects.select_related("unit", "saved_query").annotate(
        confirmed=Count("matches", filter=Q(matches__status=MatchStatus.CONFIRMED), distinct=True),
        to_check=Count("matches", filter=Q(matches__status=MatchStatus.PROPOSED), distinct=True),
    )
    if status:
        claims = claims.filter(status=status)
    return scope_filter(claims, user, unit_field="unit").order_by("-updated_at", "-id")
