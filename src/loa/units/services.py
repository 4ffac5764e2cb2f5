"""Writes to the unit tree. Every change of a unit goes through here and leaves a revision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import Actor, require
from loa.units.models import RevisionKind, Unit, UnitRevision
from loa.units.selectors import unit_staff_count

_TRACKED = ("name", "short_name", "symbol", "kind", "sort_order")


def _path_for(unit: Unit, parent: Unit | None) -> tuple[str, int]:
    if parent is None:
        return f"/{unit.pk}/", 0
    return f"{parent.path}{unit.pk}/", parent.depth + 1


def _check_parent(parent: Unit | None, day: dt.date) -> None:
    if parent is not None and not parent.is_active_on(day):
        raise ValidationError(
            _("The parent unit %(parent)s does not exist on %(day)s.")
            % {"parent": parent.name, "day": day.strftime("%d/%m/%Y")}
        )


def _current_revision(unit: Unit) -> UnitRevision | None:
    return unit.revisions.filter(valid_to__isnull=True).order_by("-valid_from", "-id").first()


def _record_revision(unit: Unit, *, kind: str, effective: dt.date, note: str = "") -> UnitRevision:
    """Close the open revision at `effective` and open one describing the unit as it is now."""
    current = _current_revision(unit)
    if current is not None:
        if effective < current.valid_from:
            raise ValidationError(
                _("A change cannot take effect before the previous one (%(day)s).")
                % {"day": current.valid_from.strftime("%d/%m/%Y")}
            )
        if effective == current.valid_from and kind != RevisionKind.CREATED:
            # A same-day correction replaces the day's revision rather than leaving an
            # empty period behind.
            current.delete()
        else:
            current.valid_to = effective
            current.save(update_fields=["valid_to"])
    closed = kind in (RevisionKind.MERGED, RevisionKind.DISSOLVED)
    return UnitRevision.objects.create(
        unit=unit,
        kind=kind,
        valid_from=effective,
        valid_to=effective if closed else None,
        name=unit.name,
        short_name=unit.short_name,
        symbol=unit.symbol,
        unit_kind=unit.kind,
        parent=unit.parent,
        note=note,
    )


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    short_name: str,
    kind: str,
    valid_from: dt.date,
    parent: Unit | None = None,
    symbol: str = "",
    sort_order: int = 0,
    note: str = "",
) -> Unit:
    _check_parent(parent, valid_from)
    unit = Unit(
        code=code,
        name=name.strip(),
        short_name=short_name.strip(),
        symbol=symbol.strip(),
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        sort_order=sort_order,
        path="/",
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path, unit.depth = _path_for(unit, parent)
    unit.save(update_fields=["path", "depth"])
    _record_revision(unit, kind=RevisionKind.CREATED, effective=valid_from, note=note)
    return unit


@transaction.atomic
def unit_change(
    *,
    unit: Unit,
    effective: dt.date,
    note: str = "",
    name: str | None = None,
    short_name: str | None = None,
    symbol: str | None = None,
    kind: str | None = None,
    sort_order: int | None = None,
) -> Unit:
    """Rename a unit or change its symbol or kind from `effective` on, keeping the old values."""
    if not unit.is_active_on(effective):
        raise ValidationError(_("The unit does not exist on that date."))
    requested = {
        "name": name.strip() if name is not None else None,
        "short_name": short_name.strip() if short_name is not None else None,
        "symbol": symbol.strip() if symbol is not None else None,
        "kind": kind,
        "sort_order": sort_order,
    }
    changed = [field for field in _TRACKED if requested[field] is not None and requested[field] != getattr(unit, field)]
    if not changed:
        return unit
    for field in changed:
        setattr(unit, field, requested[field])
    unit.full_clean(exclude=["path", "code"], validate_unique=False)
    unit.save(update_fields=[*changed, "updated_at"])
    if set(changed) - {"sort_order"}:
        _record_revision(unit, kind=RevisionKind.RENAMED, effective=effective, note=note)
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit | None, effective: dt.date, note: str = "") -> Unit:
    """Place a unit (and its whole subtree) under another parent from `effective` on."""
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise ValidationError(_("A unit cannot be moved under itself or its own subunits."))
    if new_parent == unit.parent:
        return unit
    if not unit.is_active_on(effective):
        raise ValidationError(_("The unit does not exist on that date."))
    _check_parent(new_parent, effective)
    old_path, old_depth = unit.path, unit.depth
    unit.parent = new_parent
    unit.path, unit.depth = _path_for(unit, new_parent)
    unit.save(update_fields=["parent", "path", "depth", "updated_at"])
    # Descendants only change their derived path; one UPDATE rewrites the prefix for all of
    # them, and the audited change is the move of `unit` itself.
    Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
        path=Concat(Value(unit.path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + (unit.depth - old_depth),
    )
    _record_revision(unit, kind=RevisionKind.MOVED, effective=effective, note=note)
    return unit


def _active_children(unit: Unit, day: dt.date) -> list[Unit]:
    return [child for child in unit.children.all() if child.is_active_on(day)]


def _close(unit: Unit, *, effective: dt.date, successor: Unit | None, kind: str, note: str) -> None:
    unit.valid_to = effective
    unit.successor = successor
    unit.full_clean(exclude=["path", "code"], validate_unique=False)
    unit.save(update_fields=["valid_to", "successor", "updated_at"])
    _record_revision(unit, kind=kind, effective=effective, note=note)


@transaction.atomic
def unit_merge(*, units: Sequence[Unit], into: Unit, effective: dt.date, note: str = "") -> Unit:
    """Merge `units` into `into`: their active subunits move to it, they end at `effective`."""
    if not into.is_active_on(effective):
        raise ValidationError(_("The receiving unit does not exist on that date."))
    for unit in units:
        if unit.pk == into.pk or into.path.startswith(unit.path):
            raise ValidationError(_("A unit cannot be merged into itself or its own subunits."))
        if not unit.is_active_on(effective):
            raise ValidationError(_("%(unit)s does not exist on that date.") % {"unit": unit.name})
    for unit in units:
        for child in _active_children(unit, effective):
            unit_move(unit=child, new_parent=into, effective=effective, note=note)
        _close(unit, effective=effective, successor=into, kind=RevisionKind.MERGED, note=note)
    return into


@transaction.atomic
def unit_dissolve(*, unit: Unit, effective: dt.date, note: str = "") -> Unit:
    if not unit.is_active_on(effective):
        raise ValidationError(_("The unit does not exist on that date."))
    if _active_children(unit, effective):
        raise ValidationError(_("Move, merge or dissolve the subunits of %(unit)s first.") % {"unit": unit.name})
    _close(unit, effective=effective, successor=None, kind=RevisionKind.DISSOLVED, note=note)
    return unit


def unit_set_author_may_review(*, user: Actor, unit: Unit, allowed: bool) -> Unit:
    """An administrator lets the author of a press statement of a one-person unit review it (or
    withdraws that). The change is recorded in the change log with who made it (auditlog)."""
    require(user, roles.ADMINISTER)
    if allowed and (count := unit_staff_count(unit=unit)) > 1:
        raise ValidationError(
            _("%(unit)s has %(count)s staff members: one of them reviews what another wrote.")
            % {"unit": unit.name, "count": count}
        )
    if unit.author_may_review != allowed:
        unit.author_may_review = allowed
        unit.save(update_fields=["author_may_review", "updated_at"])
    return unit
