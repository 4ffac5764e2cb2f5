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
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.models import ApiToken, LoginUnlock, Role, User
from loa.accounts.scoping import SYSTEM, Actor, require
from loa.accounts.selectors import is_last_administrator
from loa.outbox.kinds import Drawn
from loa.outbox.models import Channel, Message
from loa.outbox.services import Outgoing, PermanentFailure, message_queue
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


# --- e-mailed links: through the outbox, the secret made when the mail is sent ------------

# Kinds of outbox message (names, not secrets).
SET_PASSWORD = "set_password"  # noqa: S105
LOGIN_UNLOCK = "login_unlock"
PASSWORD_FORGOT = "password_forgot"  # noqa: S105


def _mail_recipient(message: Message) -> User:
    """The active account a link mail is for, still at the address it was queued to."""
    user = User.objects.filter(pk=message.context.get("user"), is_active=True).first()
    if user is None or not user.email or user.email not in message.recipients:
        # A link for an account deactivated, or moved to another address, since: never sent.
        raise PermanentFailure("the account is deactivated or its e-mail address changed")
    return user


def _password_link(user: User) -> str:
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def _set_password_subject(*, welcome: bool) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string("accounts/email/set_password_subject.txt", {"welcome": welcome})
    return "".join(text.splitlines())


def set_password_draw(message: Message) -> Drawn:
    """The set-password mail, with a link made now (`outbox.kinds`)."""
    user = _mail_recipient(message)
    site = settings.LOA_SITE_URL.rstrip("/")
    welcome = bool(message.context.get("welcome"))
    context = {
        "user": user,
        "link": site + _password_link(user),
        "site": site,
        "welcome": welcome,
        "hours": link_hours(),
    }
    # The recipient's language is not known: Loa's own (Vietnamese), whoever clicked the button.
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("accounts/email/set_password.txt", context)
    return Drawn(_set_password_subject(welcome=welcome), body)


def user_password_mail_send(*, actor: Actor, user: User, welcome: bool = False) -> Message:
    """E-mail the person a link to set their own password (Django's reset token, valid for
    PASSWORD_RESET_TIMEOUT), in Loa's language, through the outbox: the row keeps no link, the
    link is made when the mail goes; a mail server's refusal shows on the outbox page, from
    where it is sent again."""
    require(actor, roles.ADMINISTER)
    if not user.email:
        raise ValidationError(_("The account has no e-mail address to send the link to."))
    if not user.is_active:
        raise ValidationError(_("The account is deactivated."))
    # Each request is a mail of its own: the administrator asked again.
    return message_queue(
        Outgoing(
            key=f"{SET_PASSWORD}:{user.pk}:{secrets.token_hex(8)}",
            channel=Channel.EMAIL,
            kind=SET_PASSWORD,
            recipients=[user.email],
            subject=_set_password_subject(welcome=welcome),
            unit=user.unit,
            link=reverse("accounts:detail", args=[user.pk]),
            context={"user": user.pk, "welcome": welcome},
        )
    )


def password_forgot_queue(*, user: User, email: str, protocol: str, domain: str, language: str) -> Message:
    """Queue Django's "forgot password" mail for `user` (asked from the log-in page); the link
    is made when it is sent, for the site the person asked from."""
    with translation.override(language):
        subject = "".join(render_to_string("registration/password_forgot_subject.txt", {}).splitlines())
    return message_queue(
        Outgoing(
            key=f"{PASSWORD_FORGOT}:{user.pk}:{secrets.token_hex(8)}",
            channel=Channel.EMAIL,
            kind=PASSWORD_FORGOT,
            recipients=[email],
            subject=subject,
            unit=user.unit,
            context={"user": user.pk, "protocol": protocol, "domain": domain, "language": language},
        )
    )


def password_forgot_draw(message: Message) -> Drawn:
    user = _mail_recipient(message)
    context = {
        "user": user,
        "email": user.email,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": message.context.get("protocol", "https"),
        "domain": message.context.get("domain", ""),
        "hours": link_hours(),
    }
    with translation.override(message.context.get("language") or settings.LANGUAGE_CODE):
        body = render_to_string("registration/password_forgot_email.txt", context)
    return Drawn(message.subject, body)


# --- the e-mailed link past a log-in lock ------------------------------------------------

# One unlock mail per account in this time, so that the form cannot flood someone's inbox.
UNLOCK_MAIL_INTERVAL = dt.timedelta(minutes=5)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login_unlock_send(*, username: str) -> None:
    """E-mail the account named `username` a one-time link past the lock on its username, to the
    address on file, through the outbox (the link is made when the mail goes; only its hash is
    stored). Silent in every case (unknown, inactive or address-less account, a mail asked for
    moments ago): the page asking must not tell whether the account exists."""
    user = User.objects.filter(username=username.strip(), is_active=True).exclude(email="").first()
    now = timezone.now()
    if user is None or LoginUnlock.objects.filter(user=user, created_at__gte=now - UNLOCK_MAIL_INTERVAL).exists():
        return
    # One mail per account and interval: asking again within it finds the queued one.
    window = int(now.timestamp() // UNLOCK_MAIL_INTERVAL.total_seconds())
    with translation.override(settings.LANGUAGE_CODE):
        subject = "".join(render_to_string("accounts/email/unlock_subject.txt", {}).splitlines())
    message_queue(
        Outgoing(
            key=f"{LOGIN_UNLOCK}:{user.pk}:{window}",
            channel=Channel.EMAIL,
            kind=LOGIN_UNLOCK,
            recipients=[user.email],
            subject=subject,
            unit=user.unit,
            context={"user": user.pk},
        )
    )


def login_unlock_draw(message: Message) -> Drawn:
    """The unlock mail: its one-time link is made now, and only the link's hash is stored."""
    user = _mail_recipient(message)
    minutes = int(settings.LOA_LOGIN_UNLOCK_MINUTES)
    token = secrets.token_urlsafe(32)
    LoginUnlock.objects.create(
        user=user, token_hash=_token_hash(token), expires_at=timezone.now() + dt.timedelta(minutes=minutes)
    )
    site = settings.LOA_SITE_URL.rstrip("/")
    link = site + reverse("accounts:unlock", kwargs={"token": token})
    context = {"user": user, "link": link, "site": site, "minutes": minutes}
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("accounts/email/unlock.txt", context)
    return Drawn(message.subject, body)


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


# --- personal keys to the read API ---------------------------------------------------------

API_TOKEN_PREFIX = "loa_"  # noqa: S105 - a marker that a string is a key, not a key
# A key's last use is written at most this often, so that reading the API is not a write each time.
API_TOKEN_TOUCH = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once to its owner; only its hash is stored


def api_token_create(*, user: User, name: str) -> IssuedToken:
    """Make a key to the read API for `user`, who reads through it what their pages show."""
    name = name.strip()[:100] or _("API key")
    key = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:12], token_hash=_token_hash(key))
    logger.info("API key %s made for %s", token.pk, user.username)
    return IssuedToken(token=token, key=key)


def api_token_revoke(*, user: User, pk: int) -> bool:
    """Revoke one of `user`'s own keys; False when they have no such key still in use."""
    revoked = ApiToken.objects.filter(user=user, pk=pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    return bool(revoked)


def api_token_authenticate(*, key: str) -> User | None:
    """The active account whose unrevoked key this is, or None. Records when the key was last used."""
    if not key.startswith(API_TOKEN_PREFIX) or len(key) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(token_hash=_token_hash(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > API_TOKEN_TOUCH:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
