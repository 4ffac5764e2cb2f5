"""Writes to accounts: creation and role changes keep role, unit and admin flags consistent."""

from __future__ import annotations

import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from loa.accounts.models import Role, User
from loa.units.models import Unit

_PASSWORD_ALPHABET = string.ascii_letters + string.digits


def password_generate(length: int = 16) -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def _apply_role(user: User, role: str, unit: Unit | None) -> None:
    if role not in Role.values:
        raise ValidationError(_("Unknown role: %(role)s") % {"role": role})
    if role != Role.ADMIN and unit is None:
        raise ValidationError(_("Every account except an administrator belongs to a unit."))
    user.role = role
    user.unit = unit
    # Only administrators reach the Django admin, which is not scoped by unit.
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    unit: Unit | None,
    password: str | None,
    full_name: str = "",
    email: str = "",
    validate: bool = True,
) -> User:
    """Create an account; `password=None` leaves it unusable until an administrator sets one."""
    user = User(username=username.strip(), full_name=full_name.strip(), email=email.strip())
    _apply_role(user, role, unit)
    user.full_clean(exclude=["password"])
    if password is None:
        user.set_unusable_password()
    else:
        if validate:
            validate_password(password, user)
        user.set_password(password)
    user.save()
    return user


@transaction.atomic
def user_change_role(*, user: User, role: str, unit: Unit | None) -> User:
    _apply_role(user, role, unit)
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "unit", "is_staff", "is_superuser"])
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, validate: bool = True) -> User:
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def admin_ensure(*, username: str, password: str | None) -> tuple[User, str | None]:
    """The first administrator: created once, with `password` or a generated one.

    Returns the generated password only when it was just generated, so that it can be
    shown exactly once and never stored in clear anywhere.
    """
    existing = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    if existing is not None:
        return existing, None
    generated = password is None
    secret = password or password_generate()
    user = user_create(
        username=username,
        role=Role.ADMIN,
        unit=None,
        password=secret,
        full_name="Quản trị viên",
        validate=not generated,
    )
    return user, secret if generated else None
