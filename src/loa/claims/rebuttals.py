"""Writes of the rebuttal library: drafting an argument and its evidence, reviewing and approving
its versions, and putting an approved argument to use on an incident or in a draft statement.

An argument's text lives in numbered versions. Editing an approved argument drafts the next
version; the approved one stays in use until the new one is approved, which supersedes it.
A version not yet approved is edited in place and goes back to draft (as a statement does):
only what was approved is history worth keeping. Approval follows press statements: a different
person reviews than drafted (unless an administrator allowed a one-person unit's author to), and
only a leader with the approval right approves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import Actor, acting_user, require
from loa.articles.models import Article
from loa.claims.models import Claim, Evidence, EvidenceKind, Rebuttal, RebuttalStatus, RebuttalVersion
from loa.directives.models import Directive
from loa.incidents.models import Incident, Statement, StatementStatus, TimelineEntry
from loa.incidents.services import incident_note, statement_append
from loa.units.selectors import author_may_review

PENDING = (RebuttalStatus.DRAFT, RebuttalStatus.REVIEWED)


@dataclass(frozen=True)
class EvidenceSpec:
    """One piece of evidence as submitted: what it shows, and the record or source behind it."""

    kind: str
    description: str
    reference: str = ""
    document: Directive | None = None
    statement: Statement | None = None
    article: Article | None = None


def _check_evidence(spec: EvidenceSpec) -> None:
    if spec.kind not in EvidenceKind.values:
        raise ValidationError(_("Unknown kind of evidence."))
    if not spec.description.strip():
        raise ValidationError(_("Say what each piece of evidence shows."))
    if spec.kind == EvidenceKind.DOCUMENT and spec.document is None:
        raise ValidationError(_("Choose the registered document the evidence cites."))
    if spec.kind == EvidenceKind.FIGURE and not spec.reference.strip():
        raise ValidationError(_("Give the source of each figure."))
    if spec.kind == EvidenceKind.STATEMENT:
        if spec.statement is None:
            raise ValidationError(_("Choose the statement the evidence cites."))
        if spec.statement.status != StatementStatus.PUBLISHED:
            raise ValidationError(_("Only a statement already published is evidence."))
    if spec.kind == EvidenceKind.ARTICLE and spec.article is None:
        raise ValidationError(_("Give the number of the published article."))


def _newest(rebuttal: Rebuttal) -> RebuttalVersion | None:
    return rebuttal.versions.order_by("-number").first()


@transaction.atomic
def rebuttal_save(
    *,
    user: Actor,
    claim: Claim,
    rebuttal: Rebuttal | None = None,
    title: str,
    text: str,
    evidence: Sequence[EvidenceSpec] = (),
) -> RebuttalVersion:
    """Draft a new argument against `claim`, or a new version of `rebuttal` (see the module)."""
    require(user, roles.WRITE, claim.unit)
    if rebuttal is not None and rebuttal.claim_id != claim.pk:
        raise ValidationError(_("The argument belongs to another claim."))
    if not title.strip() or not text.strip():
        raise ValidationError(_("An argument needs a short name and a text."))
    for spec in evidence:
        _check_evidence(spec)
    if rebuttal is None:
        rebuttal = Rebuttal.objects.create(claim=claim, title=title.strip()[:300])
    elif rebuttal.title != title.strip()[:300]:
        rebuttal.title = title.strip()[:300]
        rebuttal.save(update_fields=["title"])
    # Lock the argument's row so two editors cannot draft the same version number.
    Rebuttal.objects.select_for_update().filter(pk=rebuttal.pk).first()
    version = _newest(rebuttal)
    if version is None or version.status not in PENDING:
        number = (rebuttal.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = RebuttalVersion(rebuttal=rebuttal, number=number, drafted_by=acting_user(user))
    else:
        version.evidence.all().delete()
        version.drafted_by = acting_user(user)
    version.text = text.strip()
    version.status, version.reviewed_by, version.reviewed_at = RebuttalStatus.DRAFT, None, None
    version.save()
    Evidence.objects.bulk_create(
        Evidence(
            version=version,
            kind=spec.kind,
            description=spec.description.strip(),
            reference=spec.reference.strip()[:500],
            document=spec.document,
            statement=spec.statement,
            article=spec.article,
        )
        for spec in evidence
    )
    return version


@transaction.atomic
def rebuttal_review(*, user: Actor, version: RebuttalVersion) -> RebuttalVersion:
    unit = version.rebuttal.claim.unit
    require(user, roles.WRITE, unit)
    if version.status != RebuttalStatus.DRAFT:
        raise ValidationError(_("Only a draft is reviewed."))
    by_author = version.drafted_by_id is not None and version.drafted_by_id == getattr(user, "pk", None)
    # Four eyes, with the statements' one exception: a unit with a single staff member.
    if by_author and not author_may_review(unit=unit):
        raise ValidationError(_("Somebody other than the author reviews an argument."))
    version.status, version.reviewed_by, version.reviewed_at = (
        RebuttalStatus.REVIEWED,
        acting_user(user),
        timezone.now(),
    )
    version.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return version


@transaction.atomic
def rebuttal_approve(*, user: Actor, version: RebuttalVersion) -> RebuttalVersion:
    """Approve a reviewed version; the one approved before it is superseded."""
    require(user, roles.APPROVE, version.rebuttal.claim.unit)
    if version.status != RebuttalStatus.REVIEWED:
        raise ValidationError(_("An argument is approved after it is reviewed."))
    RebuttalVersion.objects.filter(rebuttal=version.rebuttal, status=RebuttalStatus.APPROVED).update(
        status=RebuttalStatus.SUPERSEDED
    )
    version.status, version.approved_by, version.approved_at = (
        RebuttalStatus.APPROVED,
        acting_user(user),
        timezone.now(),
    )
    version.save(update_fields=["status", "approved_by", "approved_at"])
    return version


def rebuttal_in_use(rebuttal: Rebuttal) -> RebuttalVersion | None:
    """The version in use: the latest approved one."""
    return rebuttal.versions.filter(status=RebuttalStatus.APPROVED).order_by("-number").first()


def _evidence_line(item: Evidence) -> str:
    source = item.reference
    if item.document is not None:
        source = " ".join(part for part in (item.document.symbol, item.document.title[:200]) if part)
    elif item.statement is not None:
        source = item.statement.published_url or item.statement.title
    elif item.article is not None:
        source = item.article.url
    return f"- {item.description}" + (f" ({source})" if source else "")


def argument_text(version: RebuttalVersion, *, with_evidence: bool = True) -> str:
    """The argument as it is quoted elsewhere: its text, then its evidence one per line."""
    lines = [version.text]
    items = list(version.evidence.select_related("document", "statement", "article"))
    if with_evidence and items:
        lines += ["", _("Evidence:"), *(_evidence_line(item) for item in items)]
    return "\n".join(lines)


def _approved(rebuttal: Rebuttal) -> RebuttalVersion:
    version = rebuttal_in_use(rebuttal)
    if version is None:
        raise ValidationError(_("The argument has no approved version yet."))
    return version


def rebuttal_use_in_incident(*, user: Actor, rebuttal: Rebuttal, incident: Incident) -> TimelineEntry:
    """Quote the approved argument, with its evidence, as a note on the incident's timeline."""
    version = _approved(rebuttal)
    heading = _("Argument against “%(claim)s”: %(title)s (version %(number)s)") % {
        "claim": rebuttal.claim.title,
        "title": rebuttal.title,
        "number": version.number,
    }
    return incident_note(user=user, incident=incident, text=f"{heading}\n{argument_text(version)}")


def rebuttal_use_in_statement(*, user: Actor, rebuttal: Rebuttal, statement: Statement) -> Statement:
    """Append the approved argument's text to a draft statement (its evidence stays with staff:
    a statement speaks for itself)."""
    version = _approved(rebuttal)
    return statement_append(user=user, statement=statement, text=argument_text(version, with_evidence=False))
