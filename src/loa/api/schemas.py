"""What the API answers, field by field (the OpenAPI schema is generated from these)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from loa.alerts.models import Alert
from loa.claims.models import Claim, ContentRequest
from loa.incidents.models import Incident


class Error(Schema):
    detail: str


class ArticleOut(Schema):
    id: int
    title: str
    url: str
    outlet: str
    published: dt.datetime | None
    title_html: str
    snippet_html: str


class ArticleSearchOut(Schema):
    query: str
    total: int
    page: int
    pages: int
    results: list[ArticleOut]


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    unit: str | None
    enabled: bool


class PeriodOut(Schema):
    date: dt.date
    count: int
    negative: int
    neutral: int
    positive: int
    share: float | None = None
    interactions: int | None = None


class VolumeOut(Schema):
    series: list[PeriodOut]
    total: int


class OutletOut(Schema):
    outlet_id: int
    name: str
    count: int


class TermOut(Schema):
    term: str
    articles: int
    background: int
    score: float


class StoryOut(Schema):
    id: int
    title: str
    first_seen: dt.datetime
    last_seen: dt.datetime
    articles: int
    outlets: int
    tone: str
    count: int | None = None  # articles of the selection in it (analytics only)


class VoiceOut(Schema):
    organisation_id: int
    short_name: str
    count: int
    share: float


class AlertOut(Schema):
    id: int
    title: str
    summary: str
    severity: str
    status: str
    unit: str
    created_at: dt.datetime
    article_id: int | None
    story_id: int | None

    @staticmethod
    def resolve_unit(alert: Alert) -> str:
        return alert.rule.unit.name


class IncidentOut(Schema):
    id: int
    title: str
    unit: str
    severity: str
    status: str
    opened_at: dt.datetime
    first_response_due: dt.datetime | None
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_unit(incident: Incident) -> str:
        return incident.unit.name


class ClaimOut(Schema):
    """A claim of the register, with its confirmed coverage and the matches waiting."""

    id: int
    title: str
    statement: str
    unit: str
    status: str
    organisations: list[str]
    first_seen_at: dt.datetime | None
    last_seen_at: dt.datetime | None
    confirmed: int
    to_check: int

    @staticmethod
    def resolve_unit(claim: Claim) -> str:
        return claim.unit.name

    @staticmethod
    def resolve_organisations(claim: Claim) -> list[str]:
        return [o.short_name for o in claim.organisations.all()]


class ContentRequestOut(Schema):
    """A correction, reply or removal request and what Loa's checks found."""

    id: int
    unit: str
    claim_id: int | None
    incident_id: int | None
    article_id: int
    url: str
    kind: str
    addressee_kind: str
    addressee: str
    sent_at: dt.datetime
    deadline: dt.date
    outcome: str
    checks: int
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_unit(request: ContentRequest) -> str:
        return request.unit.name

    @staticmethod
    def resolve_checks(request: ContentRequest) -> int:
        return int(getattr(request, "check_count", 0))


class AssignmentOut(Schema):
    id: int
    unit: str
    deadline: dt.date | None
    status: str
    progress: int


class TaskOut(Schema):
    id: int
    number: str
    text: str
    assignments: list[AssignmentOut]


class DirectiveOut(Schema):
    id: int
    symbol: str
    doc_type: str
    issuer_name: str
    date: dt.date | None
    title: str
    tasks: list[TaskOut]


class DirectivePage(Schema):
    items: list[DirectiveOut]
    count: int


class EventOut(Schema):
    id: int
    title: str
    kind: str
    date: dt.date
    end: dt.date
    unit: str | None
    location: str
