"""Reads of the unit tree, always through the user's scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from loa.accounts import roles
from loa.accounts.models import User
from loa.accounts.scoping import Actor, scope_filter, user_can
from loa.units.models import Unit, UnitRevision


def active_on_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


def unit_list(*, user: Actor, on: dt.date | None = None, include_inactive: bool = False) -> QuerySet[Unit]:
    units = scope_filter(Unit.objects.all(), user, unit_field="")
    if not include_inactive:
        units = units.filter(active_on_q(on or timezone.localdate()))
    return units.select_related("parent", "successor")


def writable_unit_list(*, user: Actor) -> QuerySet[Unit]:
    """The active units the user writes for: all of their scope when their role writes at all
    (scope and capability are the two halves of `user_can`), none otherwise."""
    if not user_can(user, roles.WRITE):
        return Unit.objects.none()
    return unit_list(user=user)


@dataclass(frozen=True)
class TreeRow:
    unit: Unit
    level: int


def unit_tree(*, user: Actor, on: dt.date | None = None, include_inactive: bool = False) -> list[TreeRow]:
    """Units in scope in depth-first order, siblings by their order then name.

    A unit whose parent is out of scope (the user's own unit) or filtered out starts a
    new top level, so nothing the user may see is hidden by the shape of the tree.
    """
    units = list(unit_list(user=user, on=on, include_inactive=include_inactive))
    present = {unit.pk for unit in units}
    children: dict[int | None, list[Unit]] = defaultdict(list)
    for unit in units:
        parent_key = unit.parent_id if unit.parent_id in present else None
        children[parent_key].append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda u: (u.sort_order, u.name))
    rows: list[TreeRow] = []

    def walk(parent_key: int | None, level: int) -> None:
        for unit in children.get(parent_key, []):
            rows.append(TreeRow(unit=unit, level=level))
            walk(unit.pk, level + 1)

    walk(None, 0)
    return rows


def unit_revisions(*, unit: Unit) -> QuerySet[UnitRevision]:
    return unit.revisions.select_related("parent").order_by("valid_from", "id")


def unit_revision_on(*, unit: Unit, day: dt.date) -> UnitRevision | None:
    """How the unit was named and placed on `day` (None before it existed or after it ended).

    Merge and dissolution markers span no days, so the half-open period test skips them.
    """
    return unit.revisions.filter(active_on_q(day)).order_by("-valid_from", "-id").first()


def unit_children(*, user: Actor, unit: Unit, on: dt.date | None = None) -> QuerySet[Unit]:
    return unit_list(user=user, on=on).filter(parent=unit).order_by("sort_order", "name")


def unit_staff_count(*, unit: Unit) -> int:
    """Active accounts that write for this unit as its own staff (attached to it, with a writing
    role; administrators are not staff). Decides whether the unit is a one-person Ban."""
    writers = [role for role in roles.CAPABILITIES if roles.has_capability(role, roles.WRITE)]
    staff_roles = [role for role in writers if not roles.has_capability(role, roles.ADMINISTER)]
    return User.objects.filter(unit=unit, is_active=True, role__in=staff_roles).count()


def author_may_review(*, unit: Unit) -> bool:
    """Whether the author of a press statement of this unit may review it: an administrator has
    allowed it and the unit still has a single staff member (the allowance lapses when a second
    one joins, and the four-eyes rule applies again)."""
    return unit.author_may_review and unit_staff_count(unit=unit) <= 1
