"""Reads of the rebuttal library, scoped by the unit of the argument's claim."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import Actor, scope_filter, user_can
from loa.analysis.models import Organisation
from loa.claims.models import Claim, Evidence, Rebuttal, RebuttalStatus, RebuttalVersion
from loa.directives.models import Directive
from loa.directives.selectors import directive_list
from loa.incidents.models import Incident, IncidentStatus, Statement, StatementStatus
from loa.incidents.selectors import approvers, incident_list
from loa.text import fold
from loa.units.selectors import author_may_review

# The library is read whole and filtered by folded text in Python (the words of Vietnamese
# arguments, with or without their marks); beyond this many arguments the oldest are left out.
LIBRARY_LIMIT = 2000


def _evidence() -> Prefetch[str, QuerySet[Evidence], str]:
    return Prefetch("evidence", queryset=Evidence.objects.select_related("document", "statement", "article"))


def rebuttal_list(*, user: Actor) -> QuerySet[Rebuttal]:
    return scope_filter(Rebuttal.objects.select_related("claim__unit"), user, unit_field="claim__unit")


def versions_waiting(*, user: Actor, status: str, limit: int) -> list[RebuttalVersion]:
    """Versions of arguments in scope at `status` (a draft waits for review, a reviewed version
    for approval), the oldest first; for the dashboard's "waiting for you"."""
    versions = RebuttalVersion.objects.filter(status=status).select_related("rebuttal__claim__unit")
    scoped = scope_filter(versions, user, unit_field="rebuttal__claim__unit")
    return list(scoped.order_by("created_at", "id")[:limit])


def rebuttal_get(*, user: Actor, pk: int) -> Rebuttal | None:
    return rebuttal_list(user=user).filter(pk=pk).first()


@dataclass(frozen=True)
class Argument:
    """An approved argument: the rebuttal and its version in use, evidence prefetched."""

    rebuttal: Rebuttal
    version: RebuttalVersion

    @property
    def claim(self) -> Claim:
        return self.rebuttal.claim


def approved_arguments(
    *, user: Actor, claim: Claim | None = None, organisation: Organisation | None = None
) -> list[Argument]:
    """The approved arguments in the user's scope, newest approval first: of one claim, or of
    the claims targeting one organisation. Each argument comes once, in its latest approved
    version. Meant to be reused by whatever gathers arguments for others (the content packs of
    a later issue), so it depends on nothing of the library's pages."""
    versions = RebuttalVersion.objects.filter(status=RebuttalStatus.APPROVED).select_related(
        "rebuttal__claim__unit", "approved_by"
    )
    versions = scope_filter(versions, user, unit_field="rebuttal__claim__unit")
    if claim is not None:
        versions = versions.filter(rebuttal__claim=claim)
    if organisation is not None:
        versions = versions.filter(rebuttal__claim__organisations=organisation).distinct()
    rows = versions.prefetch_related(_evidence()).order_by("-approved_at", "-id")[:LIBRARY_LIMIT]
    seen: set[int] = set()
    arguments = []
    for version in rows:
        # Two approved versions of one argument only for a moment (approving supersedes); keep the latest.
        if version.rebuttal_id in seen:
            continue
        seen.add(version.rebuttal_id)
        arguments.append(Argument(rebuttal=version.rebuttal, version=version))
    return arguments


def library(*, user: Actor, query: str = "") -> list[Argument]:
    """The library page: approved arguments whose claim, name or text hold every word of `query`
    (compared folded: case, marks and spelling variants aside)."""
    arguments = approved_arguments(user=user)
    words = fold(query).split()
    if not words:
        return arguments
    return [
        argument
        for argument in arguments
        if all(
            word in haystack
            for haystack in [fold(f"{argument.claim.title} {argument.rebuttal.title} {argument.version.text}")]
            for word in words
        )
    ]


@dataclass(frozen=True)
class PanelRow:
    rebuttal: Rebuttal
    in_use: RebuttalVersion | None
    newest: RebuttalVersion


def claim_rebuttals(*, claim: Claim) -> list[PanelRow]:
    """A claim's arguments for its page: the approved text in use and the newest version's state.
    The caller has read the claim through the scoped claim selectors."""
    versions = Prefetch("versions", queryset=RebuttalVersion.objects.prefetch_related(_evidence()).order_by("-number"))
    rows = []
    for rebuttal in Rebuttal.objects.filter(claim=claim).prefetch_related(versions).order_by("id"):
        history = list(rebuttal.versions.all())
        if not history:
            continue
        in_use = next((v for v in history if v.status == RebuttalStatus.APPROVED), None)
        rows.append(PanelRow(rebuttal=rebuttal, in_use=in_use, newest=history[0]))
    return rows


@dataclass
class RebuttalPage:
    rebuttal: Rebuttal
    versions: list[RebuttalVersion]
    in_use: RebuttalVersion | None
    newest: RebuttalVersion | None
    can_write: bool
    can_approve: bool
    can_review: bool
    waiting: str = ""


def rebuttal_page(*, user: Actor, rebuttal: Rebuttal) -> RebuttalPage:
    versions = list(
        rebuttal.versions.select_related("drafted_by", "reviewed_by", "approved_by")
        .prefetch_related(_evidence())
        .order_by("-number")
    )
    unit = rebuttal.claim.unit
    newest = versions[0] if versions else None
    in_use = next((v for v in versions if v.status == RebuttalStatus.APPROVED), None)
    can_write = user_can(user, roles.WRITE, unit)
    can_review = False
    if newest is not None and newest.status == RebuttalStatus.DRAFT and can_write:
        by_author = newest.drafted_by_id is not None and newest.drafted_by_id == getattr(user, "pk", None)
        can_review = not by_author or author_may_review(unit=unit)
    waiting = ""
    if newest is not None and newest.status == RebuttalStatus.DRAFT:
        waiting = _("Waiting for someone other than the author to review it.")
    elif newest is not None and newest.status == RebuttalStatus.REVIEWED:
        # The leaders a press statement of the unit would wait for approve its arguments too.
        leaders = approvers(unit=unit)
        waiting = (
            _("Waiting for a leader of %(unit)s to approve it (%(names)s).")
            % {"unit": unit.name, "names": ", ".join(leader.get_full_name() for leader in leaders)}
            if leaders
            else _("Waiting for approval, but no leader's account covers %(unit)s: ask an administrator.")
            % {"unit": unit.name}
        )
    return RebuttalPage(
        rebuttal=rebuttal,
        versions=versions,
        in_use=in_use,
        newest=newest,
        can_write=can_write,
        can_approve=user_can(user, roles.APPROVE, unit),
        can_review=can_review,
        waiting=waiting,
    )


# --- what an argument may cite, and where it may be used --------------------------------------


def evidence_documents(*, user: Actor) -> QuerySet[Directive]:
    return directive_list(user=user).order_by("-date", "-id")


def evidence_statements(*, user: Actor) -> QuerySet[Statement]:
    """Statements already published, of the incidents in scope."""
    incidents = incident_list(user=user)
    return (
        Statement.objects.filter(status=StatementStatus.PUBLISHED, incident__in=incidents.values("pk"))
        .select_related("incident")
        .order_by("-published_at", "-id")
    )


def use_targets(*, user: Actor) -> tuple[list[Incident], list[Statement]]:
    """The open incidents the user writes for, and the draft statements of those incidents."""
    incidents = [
        incident
        for incident in incident_list(user=user, status="active").select_related("unit")
        if user_can(user, roles.WRITE, incident.unit)
    ]
    statements = list(
        Statement.objects.filter(
            status=StatementStatus.DRAFT,
            incident__in=[incident.pk for incident in incidents],
        )
        .exclude(incident__status=IncidentStatus.CLOSED)
        .select_related("incident")
        .order_by("-created_at")
    )
    return incidents, statements
