"""The endpoints of /api/v1/. Thin: each reads through the selectors the pages use, as the key's
owner, so a unit's key sees what that unit's staff see on their pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from loa.accounts.models import User
from loa.accounts.services import api_token_authenticate
from loa.alerts.models import Alert, AlertStatus
from loa.alerts.selectors import alert_list
from loa.analysis.models import Organisation, Sentiment, Story
from loa.analysis.selectors import organisation_list, search_conditions, story_list, story_tone
from loa.analytics import selectors as analytics
from loa.analytics.selectors import AnalyticsError, Selection
from loa.api import schemas
from loa.articles import search
from loa.articles.selectors import article_search
from loa.claims.models import Claim, ClaimStatus, ContentRequest
from loa.claims.requests_selectors import request_list
from loa.claims.selectors import claim_list
from loa.directives.models import Directive
from loa.directives.selectors import assignment_list, directive_list
from loa.events.selectors import occurrences
from loa.incidents.models import Incident, IncidentStatus
from loa.incidents.selectors import incident_list
from loa.sources.models import Channel

# The longest calendar one request may list.
MAX_EVENT_DAYS = 400


class BearerKey(HttpBearer):
    """`Authorization: Bearer KEY`, a personal key made on one's own account page or by
    `loa token create`; a missing, unknown or revoked key is a 401."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return api_token_authenticate(key=token)


class KeyThrottle(SimpleRateThrottle):
    """So many requests a minute per account (the account's id, not its display name, is the key)."""

    scope = "api"

    def get_cache_key(self, request: HttpRequest) -> str:
        auth = getattr(request, "auth", None)
        ident = f"user-{auth.pk}" if isinstance(auth, User) else f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class Renderer(JSONRenderer):
    # Vietnamese as letters, not \u escapes: readable in a terminal and smaller.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Loa API",
    version="1",
    description=(
        "Đọc dữ liệu Loa như trên các trang, trong phạm vi của người giữ khoá. "
        "Read Loa's data as its pages show it, within the scope of the key's owner."
    ),
    urls_namespace="api",
    auth=BearerKey(),
    throttle=[KeyThrottle(settings.LOA_API_RATE)],
    renderer=Renderer(),
)


@api.exception_handler(AnalyticsError)
def _bad_request(request: HttpRequest, error: AnalyticsError) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=400)


def _user(request: HttpRequest) -> User:
    auth = request.auth  # type: ignore[attr-defined]  # set by Ninja from BearerKey
    assert isinstance(auth, User)
    return auth


def _organisation(request: HttpRequest, key: str | None) -> Organisation | None:
    if not key:
        return None
    found = analytics.organisation_find(user=_user(request), key=key)
    if found is None:
        raise AnalyticsError(f"Không có tổ chức “{key}” (no such organisation in your scope).")
    return found


class Range(Schema):
    date_from: dt.date = Field(..., alias="from", description="first day, YYYY-MM-DD")
    date_to: dt.date = Field(..., alias="to", description="last day, YYYY-MM-DD (included)")


class OpenRange(Schema):
    date_from: dt.date | None = Field(None, alias="from", description="first day, YYYY-MM-DD")
    date_to: dt.date | None = Field(None, alias="to", description="last day, YYYY-MM-DD (included)")


class Organisations(Schema):
    org: list[str] = Field(..., description="organisations, by id or short name (repeat the parameter)")


class Coverage(Range):
    """The coverage every /analytics/* endpoint reads: the days, the query and, for an
    organisation, which of its articles."""

    q: str = ""
    relevance: str = "all"


class OrganisationCoverage(Coverage):
    """Coverage of at most one organisation (id or short name), of the query, or of both."""

    org: str | None = None


def _selection(request: HttpRequest, coverage: Coverage, *, org: str | None = None) -> Selection:
    return Selection(
        start=coverage.date_from,
        end=coverage.date_to,
        organisation=_organisation(request, org),
        query=coverage.q,
        relevance=coverage.relevance,
    )


# --- articles ----------------------------------------------------------------------------


@api.get("/articles", response=schemas.ArticleSearchOut, tags=["articles"])
def articles(
    request: HttpRequest,
    rng: Query[OpenRange],
    q: str = "",
    org: str | None = None,
    tone: str | None = None,
    channel: str | None = None,
    order: str = "relevance",
    page: int = 1,
    size: int = 20,
) -> dict[str, Any]:
    """Search the articles with the query language of the search page and `loa search`: words
    (diacritics optional), "phrases", OR, -excluded, NEAR(a b, 5). `total` is `loa search`'s total."""
    if order not in ("relevance", "date"):
        raise AnalyticsError("order: relevance | date")
    if tone is not None and tone not in Sentiment.values:
        raise AnalyticsError("tone: negative | neutral | positive")
    if channel is not None and channel not in Channel.values:
        raise AnalyticsError("channel: press | social | forum | video")
    organisation = _organisation(request, org)
    filters = search.Filters(
        date_from=rng.date_from,
        date_to=rng.date_to,
        channels=(channel,) if channel else (),
        conditions=search_conditions(
            organisation_ids=[organisation.pk] if organisation else [],
            sentiments=[tone] if tone else [],
        ),
    )
    results = article_search(user=_user(request), query=q, filters=filters, order=order, page=page, size=size)
    if results.error:
        raise AnalyticsError(results.error)
    return results.as_dict(q)


@api.get("/organisations", response=list[schemas.OrganisationOut], tags=["organisations"])
@paginate(LimitOffsetPagination)
def organisations(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": o.pk,
            "name": o.name,
            "short_name": o.short_name,
            "unit": o.unit.name if o.unit else None,
            "enabled": o.enabled,
        }
        for o in organisation_list(user=_user(request))
    ]


# --- analytics ---------------------------------------------------------------------------


@api.get("/analytics/volume", response=schemas.VolumeOut, tags=["analytics"])
def volume(
    request: HttpRequest,
    coverage: Query[OrganisationCoverage],
    interval: str = "day",
    normalise: bool = False,
    engagement: bool = False,
) -> analytics.Volume:
    """Articles per day, week or month of an organisation (`org`: id or short name), of a query
    (`q`), or of both, every period of the range listed (zero ones too), split by tone. For a query
    `total` equals `loa search QUERY --from … --to … --json`'s total. `relevance=relevant` counts
    only articles mainly or substantially about the organisation. `normalise=true` adds each
    period's share of all coverage; `engagement=true` the reactions, comments and shares its social
    posts drew, as last observed (`interactions`)."""
    selection = _selection(request, coverage, org=coverage.org)
    return analytics.volume(
        user=_user(request), selection=selection, interval=interval, normalise=normalise, engagement=engagement
    )


@api.get("/analytics/outlets", response=list[schemas.OutletOut], tags=["analytics"])
def top_outlets(
    request: HttpRequest,
    coverage: Query[OrganisationCoverage],
    limit: int = 10,
) -> list[analytics.OutletCount]:
    selection = _selection(request, coverage, org=coverage.org)
    return analytics.top_outlets(user=_user(request), selection=selection, limit=max(1, min(limit, 100)))


@api.get("/analytics/terms", response=list[schemas.TermOut], tags=["analytics"])
def top_terms(
    request: HttpRequest,
    coverage: Query[OrganisationCoverage],
    limit: int = 20,
) -> list[analytics.TermScore]:
    """Terms that distinguish this coverage from the rest of the same days."""
    selection = _selection(request, coverage, org=coverage.org)
    return analytics.top_terms(user=_user(request), selection=selection, limit=max(1, min(limit, 100)))


def _story(story: Story, count: int | None = None) -> dict[str, Any]:
    return {
        "id": story.pk,
        "title": story.title,
        "first_seen": story.first_seen_at,
        "last_seen": story.last_seen_at,
        "articles": story.article_count,
        "outlets": story.outlet_count,
        "tone": story_tone(story),
        "count": count,
    }


@api.get("/analytics/stories", response=list[schemas.StoryOut], tags=["analytics"])
def top_stories(
    request: HttpRequest,
    coverage: Query[OrganisationCoverage],
    limit: int = 10,
) -> list[dict[str, Any]]:
    selection = _selection(request, coverage, org=coverage.org)
    found = analytics.top_stories(user=_user(request), selection=selection, limit=max(1, min(limit, 100)))
    return [_story(row.story, row.count) for row in found]


@api.get("/analytics/share-of-voice", response=list[schemas.VoiceOut], tags=["analytics"])
def share_of_voice(
    request: HttpRequest,
    coverage: Query[Coverage],
    orgs: Query[Organisations],
) -> list[dict[str, Any]]:
    """Each organisation's articles over the range and its share of their sum (two to ten `org`)."""
    if not 1 <= len(orgs.org) <= 10:
        raise AnalyticsError("org: one to ten organisations")
    chosen = [o for o in (_organisation(request, key) for key in orgs.org) if o is not None]
    selection = _selection(request, coverage)
    voices = analytics.share_of_voice(user=_user(request), organisations=chosen, selection=selection)
    return [
        {
            "organisation_id": v.organisation.pk,
            "short_name": v.organisation.short_name,
            "count": v.count,
            "share": v.share,
        }
        for v in voices
    ]


# --- stories, alerts, incidents, directives, events ---------------------------------------


@api.get("/stories", response=list[schemas.StoryOut], tags=["stories"])
def stories(request: HttpRequest, days: int = 7) -> list[dict[str, Any]]:
    """The stories of the last `days` (at most 90), widest first, as on the stories page."""
    return [_story(row.story) for row in story_list(user=_user(request), days=max(1, min(days, 90)))]


@api.get("/alerts", response=list[schemas.AlertOut], tags=["alerts"])
@paginate(LimitOffsetPagination)
def alerts(request: HttpRequest, status: str | None = None) -> QuerySet[Alert]:
    if status is not None and status not in AlertStatus.values:
        raise AnalyticsError("status: " + " | ".join(AlertStatus.values))
    return alert_list(user=_user(request), status=status).order_by("-created_at", "-pk")


@api.get("/incidents", response=list[schemas.IncidentOut], tags=["incidents"])
@paginate(LimitOffsetPagination)
def incidents(request: HttpRequest, status: str | None = None) -> QuerySet[Incident]:
    if status is not None and status not in IncidentStatus.values:
        raise AnalyticsError("status: " + " | ".join(IncidentStatus.values))
    return incident_list(user=_user(request), status=status).order_by("-opened_at", "-pk")


@api.get("/claims", response=list[schemas.ClaimOut], tags=["claims"])
@paginate(LimitOffsetPagination)
def claims(request: HttpRequest, status: str | None = None) -> QuerySet[Claim]:
    """The false claims of the register, newest change first."""
    if status is not None and status not in ClaimStatus.values:
        raise AnalyticsError("status: " + " | ".join(ClaimStatus.values))
    return claim_list(user=_user(request), status=status).prefetch_related("organisations")


@api.get("/claims/requests", response=list[schemas.ContentRequestOut], tags=["claims"])
@paginate(LimitOffsetPagination)
def content_requests(request: HttpRequest, state: str = "") -> QuerySet[ContentRequest]:
    """Correction, reply and removal requests, newest first; `state` open or closed."""
    if state not in ("", "open", "closed"):
        raise AnalyticsError("state: open | closed")
    return request_list(user=_user(request), state=state)


@api.get("/directives", response=schemas.DirectivePage, tags=["directives"])
def directives(request: HttpRequest, q: str = "", limit: int = 20, offset: int = 0) -> dict[str, Any]:
    """Directives with their tasks, and of each task the assignments of the units in scope
    (paged like the other lists: `items` and `count`)."""
    user = _user(request)
    limit, offset = max(1, min(limit, 100)), max(0, offset)
    found: QuerySet[Directive] = directive_list(user=user, query=q).order_by("-date", "-pk")
    page = found.prefetch_related(Prefetch("items__assignments", queryset=assignment_list(user=user)))[
        offset : offset + limit
    ]
    return {
        "count": found.count(),
        "items": [
            {
                "id": d.pk,
                "symbol": d.symbol,
                "doc_type": d.doc_type,
                "issuer_name": d.issuer_name,
                "date": d.date,
                "title": d.title,
                "tasks": [
                    {
                        "id": item.pk,
                        "number": item.number,
                        "text": item.text,
                        "assignments": [
                            {
                                "id": a.pk,
                                "unit": a.unit.name,
                                "deadline": a.deadline,
                                "status": a.status,
                                "progress": a.progress,
                            }
                            for a in item.assignments.all()
                        ],
                    }
                    for item in d.items.all()
                ],
            }
            for d in page
        ],
    }


@api.get("/events", response=list[schemas.EventOut], tags=["events"])
def events(request: HttpRequest, rng: Query[Range]) -> list[dict[str, Any]]:
    """The calendar's events between two days (at most 400 days), as on the calendar page."""
    if rng.date_to < rng.date_from or (rng.date_to - rng.date_from).days > MAX_EVENT_DAYS:
        raise AnalyticsError(f"from … to: at most {MAX_EVENT_DAYS} days, the end after the start")
    return [
        {
            "id": o.event.pk,
            "title": o.event.title,
            "kind": o.event.kind,
            "date": o.date,
            "end": o.end,
            "unit": o.event.unit.name if o.event.unit else None,
            "location": o.event.location,
        }
        for o in occurrences(user=_user(request), start=rng.date_from, end=rng.date_to)
    ]
