"""Writes to accounts: creation and role changes keep role, unit and admin flags consistent.

Administrators manage accounts in Loa's own pages through these functions; each change is
recorded by auditlog (the User model is tracked, its password hash is not). Loa always keeps
one active administrator: the last one can be neither demoted nor deactivated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import string
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.models import LoginUnlock, Role, User
from loa.accounts.scoping import SYSTEM, Actor, require
from loa.accounts.selectors import is_last_administrator
from loa.units.models import Unit

logger = logging.getLogger(__name__)

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
    actor: Actor = SYSTEM,
) -> User:
    """Create an account; `password=None` leaves it unusable until a password is set (by the
    person, through the link of `user_password_mail_send`). `actor` is who creates it: an
    administrator in Loa's pages, or Loa itself at start-up and in the demo."""
    require(actor, roles.ADMINISTER)
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
    if role != Role.ADMIN:
        _keep_an_administrator(user, _("The last active administrator cannot lose the administrator role."))
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


@dataclass(frozen=True)
class AccountData:
    """What an administrator sets on an account in Loa's pages."""

    username: str
    full_name: str
    email: str
    role: str
    unit: Unit | None


def _keep_an_administrator(user: User, message: str) -> None:
    """Refuse a change that would leave Loa without an active administrator."""
    if is_last_administrator(user):
        raise ValidationError(message)


@transaction.atomic
def user_update(*, actor: Actor, user: User, data: AccountData) -> User:
    """Change an account's name, e-mail, role and unit (an administrator's work)."""
    require(actor, roles.ADMINISTER)
    if data.role != Role.ADMIN:
        _keep_an_administrator(user, _("The last active administrator cannot lose the administrator role."))
    user.username = data.username.strip()
    user.full_name = data.full_name.strip()
    user.email = data.email.strip()
    _apply_role(user, data.role, data.unit)
    user.full_clean(exclude=["password"])
    user.save(update_fields=["username", "full_name", "email", "role", "unit", "is_staff", "is_superuser"])
    return user


@transaction.atomic
def user_deactivate(*, actor: Actor, user: User) -> User:
    """Close an account: the person can no longer log in; what they did stays attributed."""
    require(actor, roles.ADMINISTER)
    _keep_an_administrator(user, _("The last active administrator cannot be deactivated."))
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_reactivate(*, actor: Actor, user: User) -> User:
    require(actor, roles.ADMINISTER)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def link_hours() -> int:
    """How long a set-password link stays valid, for the e-mails that carry one."""
    return int(settings.PASSWORD_RESET_TIMEOUT) // 3600


def user_password_mail_send(*, actor: Actor, user: User, welcome: bool = False) -> None:
    """E-mail the person a link to set their own password (Django's reset token, valid for
    PASSWORD_RESET_TIMEOUT), in Loa's language. Nothing is written, so the mail goes at once
    and a mail server's refusal reaches the administrator, who can send again."""
    require(actor, roles.ADMINISTER)
    if not user.email:
        raise ValidationError(_("The account has no e-mail address to send the link to."))
    if not user.is_active:
        raise ValidationError(_("The account is deactivated."))
    site = settings.LOA_SITE_URL.rstrip("/")
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = site + reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    context = {"user": user, "link": link, "site": site, "welcome": welcome, "hours": link_hours()}
    # The recipient's language is not known: Loa's own (Vietnamese), whoever clicks the button.
    with translation.override(settings.LANGUAGE_CODE):
        subject = "".join(render_to_string("accounts/email/set_password_subject.txt", context).splitlines())
        body = render_to_string("accounts/email/set_password.txt", context)
    # Sent at once, not through the outbox: its row would keep a live set-password link in the
    # database (and the outbox page) for PASSWORD_RESET_TIMEOUT; the administrator sends again.
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    try:
        message.send()
    except Exception as exc:  # smtplib and socket errors alike: the administrator is told
        logger.warning("sending the set-password e-mail to account %s failed: %s", user.pk, exc)
        raise ValidationError(_("The mail server did not take the message: %(error)s") % {"error": exc}) from exc


# --- the e-mailed link past a log-in lock ------------------------------------------------

# One unlock mail per account in this time, so that the form cannot flood someone's inbox.
UNLOCK_MAIL_INTERVAL = dt.timedelta(minutes=5)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login_unlock_send(*, username: str) -> None:
    """E-mail the account named `username` a one-time link past the lock on its username, to the
    address on file. Silent in every case (unknown, inactive or address-less account, a mail
    sent moments ago, a mail server that refuses): the page asking must not tell whether the
    account exists."""
    user = User.objects.filter(username=username.strip(), is_active=True).exclude(email="").first()
    now = timezone.now()
    if user is None or LoginUnlock.objects.filter(user=user, created_at__gte=now - UNLOCK_MAIL_INTERVAL).exists():
        return
    minutes = int(settings.LOA_LOGIN_UNLOCK_MINUTES)
    token = secrets.token_urlsafe(32)
    LoginUnlock.objects.create(user=user, token_hash=_token_hash(token), expires_at=now + dt.timedelta(minutes=minutes))
    site = settings.LOA_SITE_URL.rstrip("/")
    link = site + reverse("accounts:unlock", kwargs={"token": token})
    context = {"user": user, "link": link, "site": site, "minutes": minutes}
    with translation.override(settings.LANGUAGE_CODE):
        subject = "".join(render_to_string("accounts/email/unlock_subject.txt", context).splitlines())
        body = render_to_string("accounts/email/unlock.txt", context)
    # Sent at once, not through the outbox: only the token's hash is stored, and an outbox row
    # would keep the usable link itself; the person asks again if it does not arrive.
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    try:
        message.send()
    except Exception as exc:  # smtplib and socket errors alike; the person may ask again later
        logger.warning("sending the unlock e-mail to account %s failed: %s", user.pk, exc)


def _unlock_usable(token: str) -> LoginUnlock | None:
    row = LoginUnlock.objects.select_related("user").filter(token_hash=_token_hash(token)).first()
    if row is None or row.used_at is not None or row.expires_at <= timezone.now() or not row.user.is_active:
        return None
    return row


def login_unlock_valid(*, token: str) -> bool:
    """Whether the link still works (read when it is opened, without spending it)."""
    return _unlock_usable(token) is not None


@transaction.atomic
def login_unlock_redeem(*, token: str) -> User | None:
    """Spend an unlock link: the account it unlocks, or None when it is unknown, used or expired."""
    row = _unlock_usable(token)
    if row is None:
        return None
    # Two clicks at once: only the one that marks it used first gets the account.
    spent = LoginUnlock.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now())
    return row.user if spent else None
