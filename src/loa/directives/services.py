"""Writes of directives: import from a file, correction, links; assignment of their tasks to
units; the units' progress reports with evidence; reminders before deadlines."""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from loa.accounts import roles
from loa.accounts.models import User
from loa.accounts.scoping import Actor, acting_user, require, writes_bloc_wide
from loa.directives.models import (
    Assignment,
    AssignmentStatus,
    Citation,
    Directive,
    DirectiveLink,
    Evidence,
    ProgressReport,
    TaskItem,
)
from loa.docformat.read import Limits, Problem, UnreadableDocument, text_of_isolated
from loa.outbox.models import Channel
from loa.outbox.services import Outgoing, message_queue
from loa.text.directives import ParsedDirective, parse_directive
from loa.text.docrefs import parse_symbol
from loa.text.folding import fold
from loa.units.models import Unit, UnitKind, UnitRevision

logger = logging.getLogger(__name__)

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_TYPES = (".pdf", ".docx", ".xlsx", ".pptx", ".jpg", ".jpeg", ".png", ".txt", ".odt", ".ods", ".zip")
# Names of the collective the party committees of the bloc form, wherever the text addresses them.
COLLECTIVES = ("cac cap uy", "cap uy dang", "cac cap uy dang", "cac dang uy truc thuoc", "to chuc dang", "dang bo")


def _require_bloc_writer(user: Actor) -> None:
    if not (writes_bloc_wide(user)):
        raise PermissionDenied(_("Only the bloc's staff assign the tasks of directives."))


# --- import and correction ----------------------------------------------------------------------


def directive_import(*, user: Actor, data: bytes, filename: str, unit: Unit) -> Directive:
    """Registers the directive a file holds (text in any encoding, DOCX or PDF), with its
    citations and task items as read; what could not be read is left for the correction form.

    The file is read in a child process bounded in time and memory (`LOA_IMPORT_*`), and the
    directive in text and items (`LOA_DIRECTIVE_MAX_*`): anything an upload can do ends as a
    `ValidationError` saying why."""
    require(user, roles.WRITE, unit)
    limits = Limits(
        max_chars=settings.LOA_DIRECTIVE_MAX_CHARS,
        timeout=settings.LOA_IMPORT_TIMEOUT_SECONDS,
        memory_mb=settings.LOA_IMPORT_MEMORY_MB,
    )
    try:
        text = text_of_isolated(data, filename, limits=limits)
    except UnreadableDocument as exc:
        raise ValidationError(
            _("The file cannot be read: %(reason)s") % {"reason": unreadable_reason(exc)}, code=str(exc.code)
        ) from None
    parsed = parse_directive(text)
    if not parsed.text.strip():
        raise ValidationError(_("The file holds no text."))
    _check_item_count(len(parsed.items))
    return _register(user=user, parsed=parsed, unit=unit, source_name=filename[:255])


_REASONS = {
    Problem.TOO_LARGE: gettext_lazy("the file is larger than %(mb)s MB"),
    Problem.NOT_DOCX: gettext_lazy("it is not a DOCX (Word) document that can be opened"),
    Problem.TOO_MANY_ENTRIES: gettext_lazy("the DOCX holds %(count)s parts, more than %(limit)s"),
    Problem.UNPACKED_TOO_LARGE: gettext_lazy("unpacked, the DOCX would take more than %(mb)s MB"),
    Problem.PART_TOO_LARGE: gettext_lazy("“%(part)s” in the DOCX unpacks to more than %(mb)s MB"),
    Problem.RATIO: gettext_lazy(
        "“%(part)s” in the DOCX is compressed %(ratio)s times, more than %(limit)s: a zip bomb, not a document"
    ),
    Problem.BAD_ENTRY: gettext_lazy(
        "the DOCX holds a part that is encrypted, repeated, compressed in an unknown way or misnamed (%(part)s)"
    ),
    Problem.INVALID_XML: gettext_lazy("“%(part)s” in the DOCX is not well-formed XML (%(detail)s)"),
    Problem.DTD: gettext_lazy("“%(part)s” in the DOCX declares a DTD or entities, which Word documents never do"),
    Problem.TOO_DEEP: gettext_lazy("“%(part)s” in the DOCX nests elements more than %(limit)s levels deep"),
    Problem.TEXT_NODE: gettext_lazy("“%(part)s” in the DOCX holds a run of text longer than %(limit)s characters"),
    Problem.TOO_LONG: gettext_lazy("the text is longer than %(limit)s characters, more than a directive holds"),
    Problem.TIMEOUT: gettext_lazy("reading it took longer than %(seconds)s seconds"),
    Problem.MEMORY: gettext_lazy("reading it needs more than %(mb)s MB of memory"),
    Problem.OLD_DOC: gettext_lazy("old Word files (.doc) are not read; save the file as .docx or PDF"),
    Problem.NOT_TEXT: gettext_lazy("this is not a text, DOCX or PDF file"),
    Problem.PDF_TOOL: gettext_lazy("pdftotext is not installed (Debian package poppler-utils)"),
    Problem.PDF_UNREADABLE: gettext_lazy("the PDF cannot be read (%(detail)s)"),
    Problem.PDF_NO_TEXT: gettext_lazy("the PDF has no text layer (a scan?); type or OCR it first"),
    Problem.FAILED: gettext_lazy("reading it failed (%(detail)s)"),
}


def unreadable_reason(exc: UnreadableDocument) -> str:
    """Why the file cannot be read, in the user's language."""
    template = _REASONS.get(exc.code)
    if template is None:
        return str(exc)
    try:
        return str(template) % exc.params
    except (KeyError, TypeError, ValueError):
        return str(exc)


def _check_item_count(count: int) -> None:
    limit = settings.LOA_DIRECTIVE_MAX_ITEMS
    if count > limit:
        raise ValidationError(
            _("The document holds %(count)s task items, more than the %(limit)s a directive may hold.")
            % {"count": count, "limit": limit},
            code="too_many_items",
        )


@transaction.atomic
def _register(*, user: Actor, parsed: ParsedDirective, unit: Unit, source_name: str) -> Directive:
    if parsed.symbol and Directive.objects.filter(symbol=parsed.symbol, date=parsed.date).exists():
        raise ValidationError(_("%(symbol)s is already registered; open it to correct it.") % {"symbol": parsed.symbol})
    directive = Directive(
        symbol=parsed.symbol,
        doc_type=parsed.type_name,
        issuer_code=parsed.issuer_code,
        issuer_name=parsed.issuer_name[:300],
        date=parsed.date,
        signer=parsed.signer[:120],
        signer_position=parsed.signer_position[:300],
        title=parsed.title or _("(no summary found)"),
        text=parsed.text,
        unit=unit,
        source_name=source_name,
        imported_by=acting_user(user),
    )
    directive.search_text = _search_text(directive)
    directive.full_clean()
    directive.save()
    for reference in parsed.references:
        Citation.objects.create(
            directive=directive,
            symbol=reference.symbol,
            doc_type=reference.type or "",
            date=reference.date,
            issuer_name=(reference.issuer_name or "")[:300],
        )
    for position, item in enumerate(parsed.items):
        text = item.text
        if item.subitems:
            text = "\n".join([text, *(f"– {sub.text}" for sub in item.subitems)]).strip()
        TaskItem.objects.create(
            directive=directive, number=item.number, text=text, bodies="\n".join(item.bodies), position=position
        )
    citations_resolve()
    return directive


def _search_text(directive: Directive) -> str:
    return fold(" ".join((directive.doc_type, directive.symbol, directive.issuer_name, directive.title)))


def citations_resolve() -> int:
    """Links each citation to the registered document it names (same symbol, and the same date
    when the citation gives one), in both directions of registration."""
    linked = 0
    for citation in Citation.objects.filter(target=None).only("pk", "symbol", "date"):
        candidates = Directive.objects.filter(symbol=citation.symbol)
        if citation.date:
            candidates = candidates.filter(Q(date=citation.date) | Q(date=None))
        target = candidates.order_by("-date").first()
        if target is not None and target.pk != citation.directive_id:
            Citation.objects.filter(pk=citation.pk).update(target=target)
            linked += 1
    return linked


def _editable(user: Actor, directive: Directive) -> None:
    require(user, roles.WRITE, directive.unit)


@transaction.atomic
def directive_correct(*, user: Actor, directive: Directive, fields: dict[str, Any]) -> Directive:
    _editable(user, directive)
    allowed = {"symbol", "doc_type", "issuer_code", "issuer_name", "date", "signer", "signer_position", "title"}
    for name, value in fields.items():
        if name in allowed:
            setattr(directive, name, value.strip() if isinstance(value, str) else value)
    if directive.symbol:
        parsed = parse_symbol(directive.symbol)
        if parsed is None:
            raise ValidationError(_("“%(symbol)s” is not a document number and symbol.") % {"symbol": directive.symbol})
        directive.symbol = parsed.text
    directive.search_text = _search_text(directive)
    directive.full_clean()
    try:
        directive.save()
    except IntegrityError:
        raise ValidationError(_("Another record has this number, symbol and date.")) from None
    Citation.objects.filter(target=directive).update(target=None)
    citations_resolve()
    return directive


@dataclass
class ItemChange:
    number: str
    text: str
    bodies: str
    item: TaskItem | None = None
    delete: bool = False


@transaction.atomic
def items_correct(*, user: Actor, directive: Directive, changes: list[ItemChange]) -> None:
    """Corrects, adds and removes task items; an item with assignments is not removed."""
    _editable(user, directive)
    for position, change in enumerate(changes):
        if change.item is not None and change.item.directive_id != directive.pk:
            raise ValidationError(_("That item belongs to another directive."))
        if change.delete:
            if change.item is not None:
                if change.item.assignments.exists():
                    raise ValidationError(
                        _("Item %(number)s is assigned to units; remove its assignments first.")
                        % {"number": change.item.number}
                    )
                change.item.delete()
            continue
        if not change.text.strip():
            continue
        item = change.item or TaskItem(directive=directive)
        item.number, item.text, item.bodies, item.position = (
            change.number.strip()[:10],
            change.text.strip(),
            change.bodies.strip(),
            position,
        )
        item.save()
    _check_item_count(directive.items.count())


def directive_link(*, user: Actor, source: Directive, target: Directive, kind: str) -> DirectiveLink:
    _editable(user, source)
    if source.pk == target.pk:
        raise ValidationError(_("A document cannot replace or amend itself."))
    link, _created = DirectiveLink.objects.get_or_create(source=source, target=target, kind=kind)
    return link


# --- assignment ---------------------------------------------------------------------------------


def units_for_bodies(bodies: list[str], *, on: dt.date | None = None) -> list[Unit]:
    """Units the bodies named in a task mean: a unit by its name, present or past (the text may
    predate a renaming), and "các cấp ủy", "tổ chức đảng" … for every directly subordinate party
    committee. People ("cán bộ, đảng viên") and bodies outside the tree name no unit."""
    return units_for_tasks([bodies], on=on)[0]


def units_for_tasks(body_lists: list[list[str]], *, on: dt.date | None = None) -> list[list[Unit]]:
    """`units_for_bodies` for several tasks, reading the unit tree and its names once."""
    day = on or timezone.localdate()
    every = {unit.pk: unit for unit in Unit.objects.all()}
    present = {pk for pk, unit in every.items() if unit.is_active_on(day)}
    committees = [every[pk] for pk in present if every[pk].kind == UnitKind.COMMITTEE]
    names: dict[str, int] = {}
    # Present names first, so a name now in use wins over the same name a merged unit once had.
    for unit in sorted(every.values(), key=lambda unit: unit.pk not in present):
        for name in (unit.name, unit.short_name):
            names.setdefault(fold(name), unit.pk)
    for revision in UnitRevision.objects.only("unit_id", "name", "short_name"):
        for name in (revision.name, revision.short_name):
            names.setdefault(fold(name), revision.unit_id)
    out = []
    for bodies in body_lists:
        found: dict[int, Unit] = {}
        for body in bodies:
            key = fold(body)
            if key in names:
                carrier = _current(every[names[key]], every, day)
                if carrier is not None:
                    found.setdefault(carrier.pk, carrier)
            elif any(key == collective or key.startswith(collective + " ") for collective in COLLECTIVES):
                for unit in committees:
                    found.setdefault(unit.pk, unit)
        out.append(sorted(found.values(), key=lambda unit: unit.path))
    return out


def _current(unit: Unit, every: dict[int, Unit], day: dt.date) -> Unit | None:
    """The unit that carries on a merged or dissolved one today (its chain of successors)."""
    seen = set()
    while not unit.is_active_on(day):
        if unit.successor_id is None or unit.successor_id in seen:
            return None
        seen.add(unit.pk)
        unit = every[unit.successor_id]
    return unit


@transaction.atomic
def task_assign(*, user: Actor, task: TaskItem, units: list[Unit], deadline: dt.date | None) -> list[Assignment]:
    """Assigns the task to each unit (once; a second call changes the deadline)."""
    _require_bloc_writer(user)
    if not units:
        raise ValidationError(_("Choose at least one unit."))
    out = []
    for unit in units:
        assignment, created = Assignment.objects.get_or_create(
            task=task, unit=unit, defaults={"deadline": deadline, "assigned_by": acting_user(user)}
        )
        if not created and assignment.deadline != deadline:
            assignment.deadline, assignment.reminded_for = deadline, None
            assignment.save(update_fields=["deadline", "reminded_for"])
        out.append(assignment)
    return out


def assignment_remove(*, user: Actor, assignment: Assignment) -> None:
    _require_bloc_writer(user)
    if assignment.reports.exists():
        raise ValidationError(_("The unit has already reported on this task; it is kept."))
    assignment.delete()


def _check_file(upload: UploadedFile[bytes]) -> None:
    name = (upload.name or "").lower()
    if not name.endswith(EVIDENCE_TYPES):
        raise ValidationError(
            _("“%(name)s”: evidence must be a document, a spreadsheet, a picture or a ZIP archive.")
            % {"name": upload.name}
        )
    if (upload.size or 0) > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("“%(name)s” is larger than 20 MB.") % {"name": upload.name})


@transaction.atomic
def progress_report(
    *,
    user: Actor,
    assignment: Assignment,
    progress: int,
    text: str,
    files: Sequence[UploadedFile[bytes]] = (),
    today: dt.date | None = None,
) -> ProgressReport:
    """A unit reports what it did; 100 % marks its assignment done."""
    require(user, roles.WRITE, assignment.unit)
    if not 0 <= progress <= 100:
        raise ValidationError(_("Progress is a percentage from 0 to 100."))
    if not text.strip():
        raise ValidationError(_("Say what was done."))
    for upload in files:
        _check_file(upload)
    report = ProgressReport.objects.create(
        assignment=assignment, progress=progress, text=text.strip(), reported_by=acting_user(user)
    )
    for upload in files:
        Evidence.objects.create(
            report=report,
            file=upload,
            name=(upload.name or "tep")[:255],
            size=upload.size or 0,
            content_type=upload.content_type or mimetypes.guess_type(upload.name or "")[0] or "",
        )
    assignment.progress = progress
    if progress >= 100:
        assignment.status = AssignmentStatus.DONE
        assignment.completed_on = today or timezone.localdate()
    else:
        assignment.status = AssignmentStatus.IN_PROGRESS if progress > 0 else AssignmentStatus.OPEN
        assignment.completed_on = None
    assignment.save(update_fields=["progress", "status", "completed_on"])
    return report


# --- reminders ----------------------------------------------------------------------------------


def assignments_remind(*, today: dt.date | None = None) -> int:
    """Queues an e-mail to the writers of each unit whose task is due within
    `LOA_TASK_REMIND_DAYS` and not done, once per deadline: the outbox sends it after commit
    and retries a refusing mail server. Returns how many reminders were queued."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.LOA_TASK_REMIND_DAYS)
    due = (
        Assignment.objects.exclude(status=AssignmentStatus.DONE)
        .filter(deadline__isnull=False, deadline__lte=horizon)
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("deadline")))
        .select_related("task__directive", "unit")
    )
    queued = 0
    for assignment in due:
        recipients = [
            account.email
            for account in User.objects.filter(unit=assignment.unit, is_active=True).exclude(email="")
            if roles.has_capability(account.role, roles.WRITE)
        ]
        # The reminder and the mark that it was made commit together: neither without the other.
        with transaction.atomic():
            if recipients:
                message_queue(_reminder(assignment, recipients, today))
                queued += 1
            Assignment.objects.filter(pk=assignment.pk).update(reminded_for=assignment.deadline)
    return queued


def _reminder(assignment: Assignment, recipients: list[str], today: dt.date) -> Outgoing:
    directive = assignment.task.directive
    late = assignment.deadline is not None and assignment.deadline < today
    subject = (
        f"{'Quá hạn' if late else 'Sắp đến hạn'}: nhiệm vụ {assignment.task.number} "
        f"{directive.doc_type} {directive.symbol}".strip()
    )
    link = reverse("directives:assignment", args=[assignment.pk])
    body = (
        f"Đơn vị: {assignment.unit.name}\n"
        f"Văn bản: {directive.doc_type} {directive.symbol} {directive.title}\n"
        f"Nhiệm vụ {assignment.task.number}: {assignment.task.text[:500]}\n"
        f"Hạn: {assignment.deadline:%d/%m/%Y}\n"
        f"Tiến độ đã báo cáo: {assignment.progress}%\n\n"
        f"{settings.LOA_SITE_URL.rstrip('/')}{link}"
    )
    return Outgoing(
        # Once per assignment and deadline, however often the reminder run is repeated.
        key=f"task-reminder:{assignment.pk}:{assignment.deadline:%Y-%m-%d}",
        kind="task_reminder",
        channel=Channel.EMAIL,
        recipients=recipients,
        subject=subject,
        text=body,
        unit=assignment.unit,
        link=link,
    )
