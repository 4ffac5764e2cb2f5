"""Reads for the shell: the audit trail and the home page (its dashboard is in loa.core.dashboard)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Field, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from loa.accounts import roles
from loa.accounts.models import User
from loa.accounts.scoping import Actor, scope_of, user_can
from loa.core.dashboard import dashboard
from loa.units.models import Unit
from loa.units.selectors import unit_list


@dataclass(frozen=True)
class AuditFilter:
    """What the change log is narrowed to: who made the change, the unit they work in (and
    the units below it), the module whose data changed, and the days (Vietnam time)."""

    actor: User | None = None
    unit: Unit | None = None
    module: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _machine_records() -> Q:
    """Rows of the models the audit settings leave out (background task results, sessions…).

    Their entries are not changes people made; entries written before a model was left out
    (the task results were audited under a wrong app label) are hidden the same way, so the
    setting is the one list of what the log does not show."""
    excluded = Q(pk__in=[])
    for name in settings.AUDITLOG_EXCLUDE_TRACKING_MODELS:
        if "." in name:
            app_label, model_name = name.split(".", 1)
            excluded |= Q(content_type__app_label=app_label, content_type__model=model_name)
        else:
            excluded |= Q(content_type__app_label=name)
    return excluded


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries(*, user: Actor, filters: AuditFilter | None = None) -> QuerySet[LogEntry]:
    """The change log, for roles allowed to read it: human changes only, newest first."""
    everything: QuerySet[LogEntry] = LogEntry.objects.all()
    if not user_can(user, roles.READ_AUDIT):
        return everything.none()
    entries = everything.exclude(_machine_records()).select_related("actor", "content_type")
    entries = entries.order_by("-timestamp", "-id")
    if filters is None:
        return entries
    if filters.actor is not None:
        entries = entries.filter(actor=filters.actor)
    if filters.unit is not None:
        entries = entries.filter(actor__unit__path__startswith=filters.unit.path)
    if filters.module:
        entries = entries.filter(content_type__app_label=filters.module)
    if filters.date_from is not None:
        entries = entries.filter(timestamp__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        entries = entries.filter(timestamp__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return entries


def audit_modules() -> list[tuple[str, str]]:
    """The modules whose data the log records, as (app label, name in the reader's language),
    in the order of the settings' apps."""
    audited = {model._meta.app_label for model in apps.get_models() if auditlog.contains(model)}
    return [(config.label, str(config.verbose_name)) for config in apps.get_app_configs() if config.label in audited]


@dataclass(frozen=True)
class AuditRow:
    entry: LogEntry
    changes: list[tuple[str, str, str]]
    module: str
    data_type: str


# Loa's models stamp rows with `created_at` / `updated_at` without a verbose name of their
# own; Django then names them with these words, translated here when the log shows them.
AUTOMATIC_FIELD_NAMES = (gettext_noop("created at"), gettext_noop("updated at"))


def audit_rows(entries: Iterable[LogEntry]) -> list[AuditRow]:
    """Entries with their changes as (field label, old, new), concrete fields only
    (the audit library also lists reverse relations, which say nothing)."""
    entries = list(entries)
    names = _related_names(entries)
    rows = []
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        fields = {f.name: f for f in model._meta.concrete_fields} if model else {}
        changes = []
        for name, values in (entry.changes_dict or {}).items():
            field = fields.get(name)
            if field is None or not isinstance(values, list | tuple) or len(values) != 2:
                continue
            label = gettext(str(field.verbose_name))
            changes.append((label, _shown(field, values[0], names), _shown(field, values[1], names)))
        module = apps.get_app_config(entry.content_type.app_label).verbose_name if model else ""
        data_type = model._meta.verbose_name if model else entry.content_type.model
        rows.append(AuditRow(entry=entry, changes=changes, module=str(module), data_type=str(data_type)))
    return rows


# Rows about private people: looking at one is logged where it is shown (the roster's pages),
# so the change log names them only by id.
PERSONAL_MODELS = frozenset({"people.person"})


def _related_names(entries: list[LogEntry]) -> dict[tuple[type[models.Model], str], str]:
    """The names of the rows the entries' foreign keys point to, one query per related model
    for the whole page (the library stores only the id)."""
    wanted: dict[type[models.Model], set[str]] = {}
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        if model is None:
            continue
        for name, values in (entry.changes_dict or {}).items():
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if isinstance(field, models.ForeignKey) and isinstance(values, list | tuple):
                related = field.related_model
                assert isinstance(related, type)
                if related._meta.label_lower in PERSONAL_MODELS:
                    continue
                wanted.setdefault(related, set()).update(str(v) for v in values if str(v).isdigit())
    names: dict[tuple[type[models.Model], str], str] = {}
    for related, ids in wanted.items():
        for row in related._default_manager.filter(pk__in=[int(i) for i in ids]):
            names[(related, str(row.pk))] = str(row)
    return names


def _shown(field: Field[Any, Any], value: object, names: dict[tuple[type[models.Model], str], str]) -> str:
    """A value as the audit library stored it (text), as people read it: the name of the row
    a foreign key points to (its id when the row is gone), the label of a choice, yes or no,
    dates dd/mm/yyyy and times in Vietnam time."""
    if value in (None, "", "None"):
        return "∅"
    text = str(value)
    if isinstance(field, models.ForeignKey) and isinstance(field.related_model, type):
        return names.get((field.related_model, text), f"#{text}")
    if field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        if text in labels:
            return str(labels[text])
    if isinstance(field, models.BooleanField) and text in ("True", "False"):
        return gettext("Yes") if text == "True" else gettext("No")
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(text)
        if moment is not None:
            # The library writes times as naive UTC.
            moment = moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)
            return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    elif isinstance(field, models.DateField):
        day = parse_date(text)
        if day is not None:
            return date_format(day, "SHORT_DATE_FORMAT")
    return text[:300]


def home_summary(*, user: Actor, now: dt.datetime | None = None) -> dict[str, Any]:
    """The home page: the reader's scope, the dashboard's blocks and, for those who read the
    audit trail, the latest changes."""
    board = dashboard(user=user, now=now)
    return {
        "scope_all": scope_of(user).all_units,
        "units_in_scope": unit_list(user=user).count(),
        "open_alerts": board.watch.alerts_open,
        "active_incidents": board.watch.incidents_active,
        "board": board,
        "recent_changes": audit_rows(audit_entries(user=user)[:8]),
    }
