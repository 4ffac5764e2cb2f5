"""Reads of correction and removal requests, scoped by the request's unit like claims."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from loa.accounts import roles
from loa.accounts.scoping import Actor, scope_filter, user_can
from loa.articles.models import Article
from loa.articles.selectors import article_get, article_list
from loa.claims.models import Claim, ContentRequest, Outcome, RequestCheck
from loa.pipeline.urls import url_key

# Outcomes that leave a request waiting for the outlet after its deadline.
WAITING = (Outcome.PENDING, Outcome.UNCHANGED, Outcome.UNREACHABLE)


def request_list(*, user: Actor, state: str = "") -> QuerySet[ContentRequest]:
    """The requests of the units in scope; `state` "open" or "closed" narrows them."""
    requests = ContentRequest.objects.select_related("unit", "claim", "article__outlet").annotate(
        check_count=Count("checks")
    )
    if state == "open":
        requests = requests.filter(closed_at__isnull=True)
    elif state == "closed":
        requests = requests.filter(closed_at__isnull=False)
    return scope_filter(requests, user, unit_field="unit").order_by("-sent_at", "-id")


def request_get(*, user: Actor, pk: int) -> ContentRequest | None:
    return (
        scope_filter(ContentRequest.objects.all(), user, unit_field="unit")
        .select_related("unit", "claim", "incident", "article__outlet", "created_by")
        .filter(pk=pk)
        .first()
    )


def requests_of_claim(*, user: Actor, claim: Claim) -> QuerySet[ContentRequest]:
    return request_list(user=user).filter(claim=claim)


def request_overdue(request: ContentRequest, *, today: dt.date | None = None) -> bool:
    """Past its deadline, still open, and the item neither removed, corrected nor edited."""
    today = today or timezone.localdate()
    return request.closed_at is None and request.deadline < today and request.outcome in WAITING


def article_find(*, user: Actor, reference: str) -> Article | None:
    """The stored item a user names by its number or its address."""
    reference = reference.strip()
    if reference.isdigit():
        return article_get(user=user, pk=int(reference))
    if reference.startswith(("http://", "https://")):
        return article_list(user=user).filter(url_key=url_key(reference)).first()
    return None


@dataclass(frozen=True)
class RequestView:
    request: ContentRequest
    checks: list[RequestCheck]
    can_write: bool
    overdue: bool


def request_view(*, user: Actor, request: ContentRequest, today: dt.date | None = None) -> RequestView:
    return RequestView(
        request=request,
        checks=list(request.checks.order_by("at", "id")),
        can_write=user_can(user, roles.WRITE, request.unit) and request.closed_at is None,
        overdue=request_overdue(request, today=today),
    )
