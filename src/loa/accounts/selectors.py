"""Reads of accounts, through the reader's scope: unit staff see the accounts of their subtree."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from loa.accounts.models import ApiToken, Role, User
from loa.accounts.scoping import Actor, scope_filter
from loa.units.models import Unit


def user_list(
    *,
    user: Actor,
    unit: Unit | None = None,
    within: Unit | None = None,
    query: str = "",
    role: str = "",
    active: bool | None = None,
) -> QuerySet[User]:
    """Accounts the reader may see; with `unit`, only the accounts attached to that unit; with
    `within`, those of the unit and the units below it; `query` matches the username, the full
    name or the e-mail address."""
    accounts = scope_filter(User.objects.all(), user, unit_field="unit").select_related("unit")
    if unit is not None:
        accounts = accounts.filter(unit=unit)
    if within is not None:
        accounts = accounts.filter(unit__path__startswith=within.path)
    query = query.strip()
    if query:
        accounts = accounts.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(email__icontains=query)
        )
    if role:
        accounts = accounts.filter(role=role)
    if active is not None:
        accounts = accounts.filter(is_active=active)
    return accounts


def is_last_administrator(account: User) -> bool:
    """Whether `account` is the only active administrator (Loa must keep one)."""
    if account.pk is None or not User.objects.filter(pk=account.pk, role=Role.ADMIN, is_active=True).exists():
        return False
    return not User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=account.pk).exists()


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """One's own API keys, in use first, newest first (nobody lists another person's keys)."""
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")
