"""The one place that decides which units' rows a user may read or change.

Selectors of every app pass their querysets through `scope_filter`; views never filter
by unit themselves. Administrators and bloc staff see every unit; everybody else sees
their own unit and its subtree, past and present (a dissolved subunit's records stay
visible to the unit above it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.models import User

if TYPE_CHECKING:
    from loa.units.models import Unit

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    all_units: bool
    prefix: str | None

    @property
    def empty(self) -> bool:
        return not self.all_units and self.prefix is None

    def contains(self, unit: Unit | None) -> bool:
        if self.all_units:
            return True
        if unit is None or self.prefix is None:
            return False
        return unit.path.startswith(self.prefix)


NOTHING = Scope(all_units=False, prefix=None)
EVERYTHING = Scope(all_units=True, prefix=None)


class _System:
    """Loa acting for itself (the shell operator, background tasks): every unit, every right."""

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()

# Who acts on a service or a selector: a request's user (an account or anonymous) or SYSTEM.
# The type says who may be passed; what they may do is decided here, by `require`/`user_can`.
Actor: TypeAlias = AbstractBaseUser | AnonymousUser | _System


def _active_user(user: Actor) -> User | None:
    """The account behind `user` when it may act at all (anonymous and disabled users may not)."""
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def scope_of(user: Actor) -> Scope:
    if user is SYSTEM:
        return EVERYTHING
    account = _active_user(user)
    if account is None:
        return NOTHING
    if roles.has_capability(account.role, roles.SEE_ALL_UNITS):
        return EVERYTHING
    if account.unit is None:
        return NOTHING
    return Scope(all_units=False, prefix=account.unit.path)


def scope_filter(
    queryset: QuerySet[M],
    user: Actor,
    *,
    unit_field: str,
    distinct: bool = False,
) -> QuerySet[M]:
    """Rows of `queryset` whose unit (reached through `unit_field`, '' for units) is in scope.

    `distinct` is for unit fields reached through many-to-many relations, where a row
    linked to two units in scope would otherwise come back twice.
    """
    scope = scope_of(user)
    if scope.all_units:
        return queryset
    if scope.prefix is None:
        return queryset.none()
    lookup = f"{unit_field}__path__startswith" if unit_field else "path__startswith"
    filtered = queryset.filter(**{lookup: scope.prefix})
    return filtered.distinct() if distinct else filtered


def scope_and_above(queryset: QuerySet[M], user: Actor, *, unit_field: str) -> QuerySet[M]:
    """Rows of units in scope and of the units above the reader's own: what a committee plans
    or holds concerns the units below it (a congress, a study plan)."""
    scope = scope_of(user)
    if scope.all_units:
        return queryset
    if scope.prefix is None:
        return queryset.none()
    parts = scope.prefix.strip("/").split("/")
    above = ["/" + "/".join(parts[:depth]) + "/" for depth in range(1, len(parts))]
    return queryset.filter(
        Q(**{f"{unit_field}__path__startswith": scope.prefix}) | Q(**{f"{unit_field}__path__in": above})
    )


def user_can(user: Actor, capability: str, unit: Unit | None = None) -> bool:
    """Whether the user's role grants `capability`, on `unit` when one is given."""
    if user is SYSTEM:
        return True
    account = _active_user(user)
    if account is None or not roles.has_capability(account.role, capability):
        return False
    return unit is None or scope_of(user).contains(unit)


def require(user: Actor, capability: str, unit: Unit | None = None) -> None:
    """The refusal every service gives when `user_can` says no, naming the unit."""
    if not user_can(user, capability, unit):
        raise PermissionDenied(_("You may not do this for %(unit)s.") % {"unit": unit.name if unit else "—"})


def acting_user(user: Actor | None) -> User | None:
    """The account to record as the author of a change; None when Loa acts for itself."""
    return user if isinstance(user, User) else None


def writes_bloc_wide(user: Actor) -> bool:
    """Whether the user writes for the whole bloc (its library, registry and selections)."""
    return user_can(user, roles.WRITE) and scope_of(user).all_units
