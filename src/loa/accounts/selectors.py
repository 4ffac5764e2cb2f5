"""Reads of accounts, through the reader's scope: unit staff see the accounts of their subtree."""

from __future__ import annotations

from django.db.models import QuerySet

from loa.accounts.models import User
from loa.accounts.scoping import scope_filter
from loa.units.models import Unit


def user_list(*, user: object, unit: Unit | None = None) -> QuerySet[User]:
    """Accounts the reader may see; with `unit`, only the accounts attached to that unit."""
    accounts = scope_filter(User.objects.all(), user, unit_field="unit").select_related("unit")
    return accounts.filter(unit=unit) if unit is not None else accounts
