"""Accounts."""

from __future__ import annotations

from loa.accounts.models import Role, User
from loa.accounts.services import user_create
from loa.units.models import Unit
from tests.factories.base import PASSWORD, next_number


def make_user(role: str = Role.UNIT_STAFF, *, unit: Unit | None = None, username: str | None = None) -> User:
    number = next_number()
    return user_create(
        username=username or f"user{number}",
        full_name=f"Người dùng {number}",
        role=role,
        unit=unit,
        password=PASSWORD,
        validate=False,
    )
