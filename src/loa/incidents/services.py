"""Running a media incident: opening it on a playbook, steps, statements, timeline, review.

An incident copies its playbook's steps with deadlines counted from the moment it is
opened, so later edits of the playbook library never move a running incident's
deadlines. Statements go draft → reviewed → approved → published; a different person
reviews than drafted, only a leader with the approval right approves, and only a
spokesperson valid that day may speak, on a channel they are allowed. The first
published statement is the incident's first response, against which the closing
review measures time and coverage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.models import User
from loa.accounts.scoping import Actor, acting_user, require, scope_of, writes_bloc_wide
from loa.alerts.models import Alert, AlertStatus, Severity
from loa.alerts.services import alert_acknowledge
from loa.analysis.models import ArticleAnalysis, Mention, Organisation, Sentiment, Story
from loa.articles.models import Article
from loa.incidents.models import (
    Incident,
    IncidentStatus,
    IncidentStep,
    Playbook,
    PlaybookStep,
    Spokesperson,
    Statement,
    StatementChannel,
    StatementStatus,
    TimelineEntry,
    TimelineKind,
)
from loa.units.models import Unit
from loa.units.selectors import author_may_review

# How far before the opening the closing review looks for the coverage that led to it.
LOOKBACK = dt.timedelta(days=7)
# The earlier articles put on a new incident's timeline: enough to read how it started.
EARLIER_COVERAGE = 200


def _log(
    incident: Incident, kind: str, text: str, *, user: Actor | None = None, at: dt.datetime | None = None
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        incident=incident, at=at or timezone.now(), kind=kind, text=text, user=acting_user(user)
    )


# --- playbook library -------------------------------------------------------------------


@dataclass(frozen=True)
class StepSpec:
    title: str
    due_after_hours: int
    owner_role: str = ""
    guidance: str = ""


def playbook_editable(*, user: Actor) -> bool:
    """The library serves the whole bloc, so the propaganda board (bloc-wide writers) keeps it."""
    return writes_bloc_wide(user)


@transaction.atomic
def playbook_save(
    *,
    user: Actor,
    playbook: Playbook | None = None,
    name: str,
    description: str = "",
    severity: str = Severity.HIGH,
    first_response_hours: int = 6,
    enabled: bool = True,
    steps: Sequence[StepSpec] = (),
) -> Playbook:
    if not playbook_editable(user=user):
        raise PermissionDenied(_("Only the propaganda board edits the playbook library."))
    if not steps:
        raise ValidationError(_("A playbook needs at least one step."))
    if first_response_hours < 1:
        raise ValidationError(_("The first statement is due at least one hour after opening."))
    target = playbook or Playbook()
    target.name, target.description, target.severity = name.strip(), description.strip(), severity
    target.first_response_hours, target.enabled = first_response_hours, enabled
    target.full_clean()
    target.save()
    # Steps are the template's content: replaced as a whole, in the order given.
    target.steps.all().delete()
    PlaybookStep.objects.bulk_create(
        PlaybookStep(
            playbook=target,
            order=index,
            title=spec.title.strip(),
            guidance=spec.guidance.strip(),
            owner_role=spec.owner_role.strip(),
            due_after_hours=spec.due_after_hours,
        )
        for index, spec in enumerate(steps)
    )
    return target


# --- spokespersons ------------------------------------------------------------------------


@transaction.atomic
def spokesperson_save(
    *,
    user: Actor,
    spokesperson: Spokesperson | None = None,
    unit: Unit,
    name: str,
    position: str,
    channels: Iterable[str],
    authorisation: str = "",
    valid_from: dt.date,
    valid_to: dt.date | None = None,
) -> Spokesperson:
    require(user, roles.WRITE, unit)
    if spokesperson is not None:
        require(user, roles.WRITE, spokesperson.unit)
    chosen = sorted(set(channels))
    unknown = [c for c in chosen if c not in StatementChannel.values]
    if unknown or not chosen:
        raise ValidationError(_("Choose at least one channel the person may speak on."))
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError(_("The authorisation ends before it starts."))
    target = spokesperson or Spokesperson()
    target.unit, target.name, target.position = unit, name.strip(), position.strip()
    target.channels, target.authorisation = chosen, authorisation.strip()
    target.valid_from, target.valid_to = valid_from, valid_to
    target.full_clean()
    target.save()
    return target


def spokesperson_may_speak(spokesperson: Spokesperson, *, incident: Incident, channel: str, on: dt.date) -> str | None:
    """Why this person may not speak for the incident on that channel and day, or None."""
    if not incident.unit.path.startswith(spokesperson.unit.path):
        return _("%(name)s does not speak for %(unit)s.") % {"name": spokesperson.name, "unit": incident.unit.name}
    if spokesperson.valid_from > on or (spokesperson.valid_to is not None and spokesperson.valid_to < on):
        return _("%(name)s is not authorised to speak on %(day)s.") % {
            "name": spokesperson.name,
            "day": on.strftime("%d/%m/%Y"),
        }
    if channel not in spokesperson.channels:
        return _("%(name)s is not authorised for this channel.") % {"name": spokesperson.name}
    return None


def spokespersons_for(*, incident: Incident, on: dt.date | None = None) -> list[Spokesperson]:
    """Those who may speak for the incident's unit today: its own and those of the units above."""
    on = on or timezone.localdate()
    ancestors = [incident.unit.path[:end] for end in range(len(incident.unit.path), 0, -1)]
    people = Spokesperson.objects.filter(unit__path__in=ancestors).select_related("unit")
    return [
        p
        for p in people
        if p.valid_from <= on
        and (p.valid_to is None or p.valid_to >= on)
        and incident.unit.path.startswith(p.unit.path)
    ]


# --- opening ------------------------------------------------------------------------------


@transaction.atomic
def incident_open(
    *,
    user: Actor,
    title: str,
    unit: Unit,
    severity: str = Severity.HIGH,
    playbook: Playbook | None = None,
    organisation: Organisation | None = None,
    stories: Iterable[Story] = (),
    summary: str = "",
    alert: Alert | None = None,
    now: dt.datetime | None = None,
) -> Incident:
    require(user, roles.WRITE, unit)
    now = now or timezone.now()
    if not title.strip():
        raise ValidationError(_("An incident needs a title."))
    incident = Incident.objects.create(
        title=title.strip()[:300],
        unit=unit,
        organisation=organisation,
        severity=severity,
        summary=summary.strip(),
        playbook=playbook,
        alert=alert,
        opened_at=now,
        opened_by=acting_user(user),
        first_response_due=now + dt.timedelta(hours=playbook.first_response_hours) if playbook else None,
    )
    related = list(stories)
    if related:
        incident.stories.add(*related)
    if playbook is not None:
        IncidentStep.objects.bulk_create(
            IncidentStep(
                incident=incident,
                order=step.order,
                title=step.title,
                guidance=step.guidance,
                owner_role=step.owner_role,
                due_at=now + dt.timedelta(hours=step.due_after_hours),
            )
            for step in playbook.steps.all()
        )
    text = _("Opened with the playbook “%(playbook)s”.") % {"playbook": playbook.name} if playbook else _("Opened.")
    if alert is not None:
        text += " " + _("From the alert: %(title)s") % {"title": alert.title}
    _log(incident, TimelineKind.OPENED, text, user=user, at=now)
    # What was already published about the stories is where the timeline starts.
    earlier = _coverage_of(incident).filter(created_at__lte=now, created_at__gte=now - LOOKBACK)
    _attach(incident, earlier.select_related("outlet").order_by("-created_at")[:EARLIER_COVERAGE], at_publication=True)
    return incident


@transaction.atomic
def incident_open_from_alert(
    *,
    user: Actor,
    alert: Alert,
    playbook: Playbook | None,
    severity: str | None = None,
    now: dt.datetime | None = None,
) -> Incident:
    """Open the incident an alert calls for, on the alert's unit, organisation and story."""
    rule = alert.rule
    existing = Incident.objects.filter(alert=alert).exclude(status=IncidentStatus.CLOSED).first()
    if existing is not None:
        return existing
    story = alert.story
    if story is None and alert.article_id is not None:
        story = Story.objects.filter(analyses__article_id=alert.article_id).first()
    incident = incident_open(
        user=user,
        title=alert.title,
        unit=rule.unit,
        severity=severity or alert.severity,
        playbook=playbook,
        organisation=rule.organisation,
        stories=[story] if story else [],
        summary=alert.summary,
        alert=alert,
        now=now,
    )
    if alert.status == AlertStatus.OPEN:
        alert_acknowledge(alert=alert, user=acting_user(user))
    return incident


# --- coverage on the timeline ------------------------------------------------------------------


def _coverage_of(incident: Incident) -> QuerySet[Article]:
    """The articles of an incident: those of its stories, or, with no story, those naming its organisation."""
    story_ids = list(incident.stories.values_list("pk", flat=True))
    if story_ids:
        return Article.objects.filter(analysis__story_id__in=story_ids)
    if incident.organisation_id:
        return Article.objects.filter(mentions__organisation_id=incident.organisation_id).distinct()
    return Article.objects.none()


def _attach(incident: Incident, articles: Iterable[Article], *, at_publication: bool = False) -> int:
    added = 0
    for article in articles:
        at = (article.published_at or article.created_at) if at_publication else article.created_at
        try:
            with transaction.atomic():
                TimelineEntry.objects.create(
                    incident=incident,
                    at=at,
                    kind=TimelineKind.COVERAGE,
                    text=f"{article.outlet.name}: {article.title}",
                    article=article,
                )
        except IntegrityError:
            continue  # on the timeline already
        added += 1
    return added


def incidents_attach_coverage(*, articles: Sequence[Article]) -> int:
    """Put newly analysed articles on the timelines of the open incidents following their stories."""
    ids = [a.pk for a in articles]
    if not ids:
        return 0
    stories = dict(
        ArticleAnalysis.objects.filter(article_id__in=ids, story__isnull=False).values_list("article_id", "story_id")
    )
    organisations: dict[int, set[int]] = {}
    for article_id, organisation_id in Mention.objects.filter(article_id__in=ids).values_list(
        "article_id", "organisation_id"
    ):
        organisations.setdefault(organisation_id, set()).add(article_id)
    open_incidents = Incident.objects.exclude(status=IncidentStatus.CLOSED).prefetch_related("stories")
    by_id = {a.pk: a for a in articles}
    added = 0
    for incident in open_incidents:
        followed = {s.pk for s in incident.stories.all()}
        if followed:
            chosen = [pk for pk, story in stories.items() if story in followed]
        else:
            chosen = sorted(organisations.get(incident.organisation_id or 0, set()))
        added += _attach(incident, (by_id[pk] for pk in chosen))
    return added


def incidents_attach_stored(*, article_ids: Sequence[int]) -> int:
    """The after-store step of incidents (`loa.articles.hooks`): `incidents_attach_coverage`
    for the stored articles."""
    articles = Article.objects.filter(pk__in=list(article_ids)).select_related("outlet", "analysis__story")
    return incidents_attach_coverage(articles=list(articles))


@transaction.atomic
def incident_add_story(*, user: Actor, incident: Incident, story: Story) -> Incident:
    require(user, roles.WRITE, incident.unit)
    incident.stories.add(story)
    _log(incident, TimelineKind.NOTE, _("Now following the story “%(title)s”.") % {"title": story.title}, user=user)
    story_articles = Article.objects.filter(analysis__story=story).select_related("outlet").order_by("-created_at")
    _attach(incident, story_articles[:EARLIER_COVERAGE], at_publication=True)
    return incident


# --- running ------------------------------------------------------------------------------------


def _writable(user: Actor, incident: Incident) -> None:
    require(user, roles.WRITE, incident.unit)
    if incident.status == IncidentStatus.CLOSED:
        raise ValidationError(_("The incident is closed."))


@transaction.atomic
def incident_note(*, user: Actor, incident: Incident, text: str) -> TimelineEntry:
    _writable(user, incident)
    if not text.strip():
        raise ValidationError(_("The note is empty."))
    return _log(incident, TimelineKind.NOTE, text.strip(), user=user)


def incident_log_request(
    *, incident: Incident, text: str, at: dt.datetime, article: Article | None = None
) -> TimelineEntry:
    """A correction or removal request about the incident's coverage, or a check of what became
    of it, on the incident's timeline. Written by Loa itself (the claims app's checks), so no
    user and no capability: the request's own page decided who may act."""
    return TimelineEntry.objects.create(
        incident=incident, at=at, kind=TimelineKind.REQUEST, text=text.strip()[:2000], article=article
    )


@transaction.atomic
def step_assign(
    *, user: Actor, step: IncidentStep, owner: User | None, due_at: dt.datetime | None = None
) -> IncidentStep:
    _writable(user, step.incident)
    if owner is not None and not scope_of(owner).contains(step.incident.unit):
        raise ValidationError(_("The owner must work for the incident's unit or a unit above it."))
    step.owner = owner
    if due_at is not None:
        step.due_at = due_at
    step.save(update_fields=["owner", "due_at"])
    return step


@transaction.atomic
def step_done(*, user: Actor, step: IncidentStep, done: bool = True) -> IncidentStep:
    _writable(user, step.incident)
    if done and step.done_at is None:
        step.done_at, step.done_by = timezone.now(), acting_user(user)
        _log(step.incident, TimelineKind.STEP, _("Done: %(step)s") % {"step": step.title}, user=user, at=step.done_at)
    elif not done and step.done_at is not None:
        step.done_at, step.done_by = None, None
        _log(step.incident, TimelineKind.STEP, _("Reopened: %(step)s") % {"step": step.title}, user=user)
    step.save(update_fields=["done_at", "done_by"])
    return step


@transaction.atomic
def incident_set_status(*, user: Actor, incident: Incident, status: str) -> Incident:
    _writable(user, incident)
    if status not in (IncidentStatus.OPEN, IncidentStatus.RESPONDING, IncidentStatus.MONITORING):
        raise ValidationError(_("Close an incident with its closing review."))
    if status != incident.status:
        incident.status = status
        incident.save(update_fields=["status"])
        _log(incident, TimelineKind.STATUS, str(incident.get_status_display()), user=user)
    return incident


# --- statements ------------------------------------------------------------------------------------


@transaction.atomic
def statement_save(
    *,
    user: Actor,
    incident: Incident,
    statement: Statement | None = None,
    title: str,
    body: str,
    channel: str,
    spokesperson: Spokesperson,
) -> Statement:
    """Draft a statement, or edit one not yet approved (an edit sends it back to draft)."""
    _writable(user, incident)
    if statement is not None and statement.status in (StatementStatus.APPROVED, StatementStatus.PUBLISHED):
        raise ValidationError(_("An approved statement is not edited; draft a new one."))
    if not title.strip() or not body.strip():
        raise ValidationError(_("A statement needs a title and a text."))
    problem = spokesperson_may_speak(spokesperson, incident=incident, channel=channel, on=timezone.localdate())
    if problem:
        raise ValidationError(problem)
    target = statement or Statement(incident=incident, drafted_by=acting_user(user))
    target.title, target.body, target.channel, target.spokesperson = title.strip(), body.strip(), channel, spokesperson
    target.status, target.reviewed_by, target.reviewed_at = StatementStatus.DRAFT, None, None
    target.save()
    verb = _("Statement drafted") if statement is None else _("Statement edited")
    _log(incident, TimelineKind.STATEMENT, f"{verb}: {target.title}", user=user)
    return target


@transaction.atomic
def statement_append(*, user: Actor, statement: Statement, text: str) -> Statement:
    """Add a passage (an approved argument, say) at the end of a draft statement. Only a draft
    takes it: a reviewed or approved text would otherwise change under its reviewer's eyes."""
    _writable(user, statement.incident)
    if statement.status != StatementStatus.DRAFT:
        raise ValidationError(_("Only a draft statement takes added text."))
    if not text.strip():
        raise ValidationError(_("There is no text to add."))
    statement.body = f"{statement.body.rstrip()}\n\n{text.strip()}" if statement.body.strip() else text.strip()
    statement.save(update_fields=["body"])
    _log(
        statement.incident,
        TimelineKind.STATEMENT,
        _("Text added to the draft statement: %(title)s") % {"title": statement.title},
        user=user,
    )
    return statement


@transaction.atomic
def statement_review(*, user: Actor, statement: Statement) -> Statement:
    _writable(user, statement.incident)
    if statement.status != StatementStatus.DRAFT:
        raise ValidationError(_("Only a draft is reviewed."))
    by_author = statement.drafted_by_id is not None and statement.drafted_by_id == getattr(user, "pk", None)
    # Four eyes: someone other than the author reviews, unless an administrator has allowed the
    # author to, for a unit that has a single staff member.
    if by_author and not author_may_review(unit=statement.incident.unit):
        raise ValidationError(_("Somebody other than the author reviews a statement."))
    statement.status, statement.reviewed_by, statement.reviewed_at = (
        StatementStatus.REVIEWED,
        acting_user(user),
        timezone.now(),
    )
    statement.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    text = (
        _(
            "Statement reviewed by its author (a unit with a single staff member, "
            "allowed by an administrator): %(title)s"
        )
        if by_author
        else _("Statement reviewed: %(title)s")
    )
    _log(statement.incident, TimelineKind.STATEMENT, text % {"title": statement.title}, user=user)
    return statement


@transaction.atomic
def statement_approve(*, user: Actor, statement: Statement) -> Statement:
    require(user, roles.APPROVE, statement.incident.unit)
    if statement.incident.status == IncidentStatus.CLOSED:
        raise ValidationError(_("The incident is closed."))
    if statement.status != StatementStatus.REVIEWED:
        raise ValidationError(_("A statement is approved after it is reviewed."))
    problem = spokesperson_may_speak(
        statement.spokesperson, incident=statement.incident, channel=statement.channel, on=timezone.localdate()
    )
    if problem:
        raise ValidationError(problem)
    statement.status, statement.approved_by, statement.approved_at = (
        StatementStatus.APPROVED,
        acting_user(user),
        timezone.now(),
    )
    statement.save(update_fields=["status", "approved_by", "approved_at"])
    _log(
        statement.incident,
        TimelineKind.STATEMENT,
        _("Statement approved: %(title)s") % {"title": statement.title},
        user=user,
    )
    return statement


@transaction.atomic
def statement_publish(*, user: Actor, statement: Statement, url: str = "", now: dt.datetime | None = None) -> Statement:
    incident = statement.incident
    _writable(user, incident)
    if statement.status != StatementStatus.APPROVED:
        raise ValidationError(_("Only an approved statement is published."))
    now = now or timezone.now()
    statement.status, statement.published_at, statement.published_url = StatementStatus.PUBLISHED, now, url.strip()
    statement.full_clean()
    statement.save(update_fields=["status", "published_at", "published_url"])
    text = _("Statement published by %(name)s (%(channel)s): %(title)s") % {
        "name": statement.spokesperson.name,
        "channel": statement.get_channel_display(),
        "title": statement.title,
    }
    _log(incident, TimelineKind.STATEMENT, text, user=user, at=now)
    if incident.first_response_at is None:
        incident.first_response_at = now
        fields = ["first_response_at"]
        if incident.status == IncidentStatus.OPEN:
            incident.status = IncidentStatus.RESPONDING
            fields.append("status")
        incident.save(update_fields=fields)
    return statement


# --- closing review --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.datetime
    end: dt.datetime


def _periods(incident: Incident, closed: dt.datetime) -> list[Period]:
    opened = incident.opened_at
    periods = [Period("before", opened - LOOKBACK, opened)]
    if incident.first_response_at is not None:
        periods += [
            Period("until_response", opened, incident.first_response_at),
            Period("after_response", incident.first_response_at, closed),
        ]
    else:
        periods.append(Period("until_close", opened, closed))
    return periods


def _coverage_figures(incident: Incident, periods: Sequence[Period]) -> dict[str, dict[str, float]]:
    """Articles, negative ones and articles per day of the incident's coverage in each period."""
    # Publication time where the page gave one: an archive import is not news of the day it was imported.
    rows = list(
        _coverage_of(incident)
        .annotate(seen=Coalesce("published_at", "created_at"))
        .filter(seen__gte=periods[0].start, seen__lt=periods[-1].end)
        .values_list("seen", "analysis__sentiment")
    )
    figures = {}
    for period in periods:
        inside = [tone for created, tone in rows if period.start <= created < period.end]
        days = max((period.end - period.start).total_seconds() / 86400, 1 / 24)
        negative = sum(1 for tone in inside if tone == Sentiment.NEGATIVE)
        figures[period.key] = {
            "articles": len(inside),
            "negative": negative,
            "negative_share": round(negative / len(inside), 3) if inside else 0.0,
            "per_day": round(len(inside) / days, 2),
            "hours": round((period.end - period.start).total_seconds() / 3600, 1),
        }
    return figures


def incident_review(incident: Incident, *, closed: dt.datetime | None = None) -> dict[str, object]:
    """The closing review's figures (also shown, provisionally, while the incident runs)."""
    closed = closed or incident.closed_at or timezone.now()
    steps = list(incident.steps.all())
    response_minutes = (
        round((incident.first_response_at - incident.opened_at).total_seconds() / 60)
        if incident.first_response_at
        else None
    )
    on_time = None
    if incident.first_response_due is not None:
        on_time = incident.first_response_at is not None and incident.first_response_at <= incident.first_response_due
    return {
        "opened_at": incident.opened_at.isoformat(),
        "closed_at": closed.isoformat(),
        "first_response_minutes": response_minutes,
        "first_response_on_time": on_time,
        "steps_total": len(steps),
        "steps_done": sum(1 for s in steps if s.done_at is not None),
        "steps_late": sum(1 for s in steps if (s.done_at or closed) > s.due_at),
        "statements_published": incident.statements.filter(status=StatementStatus.PUBLISHED).count(),
        "coverage": _coverage_figures(incident, _periods(incident, closed)),
    }


@transaction.atomic
def incident_close(*, user: Actor, incident: Incident, lessons: str, now: dt.datetime | None = None) -> Incident:
    _writable(user, incident)
    if not lessons.strip():
        raise ValidationError(_("Write down what was learned before closing."))
    now = now or timezone.now()
    incident.review = incident_review(incident, closed=now)
    incident.status, incident.closed_at, incident.lessons = IncidentStatus.CLOSED, now, lessons.strip()
    incident.save(update_fields=["review", "status", "closed_at", "lessons"])
    _log(incident, TimelineKind.CLOSED, _("Closed with its review."), user=user, at=now)
    if incident.alert is not None and incident.alert.status != AlertStatus.CLOSED:
        Alert.objects.filter(pk=incident.alert.pk).update(status=AlertStatus.CLOSED)
    return incident
