"""User accounts. Only what the work needs: login, display name, e-mail, role and unit."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    BLOC_STAFF = "bloc_staff", _("Bloc staff")
    UNIT_STAFF = "unit_staff", _("Unit staff")
    LEADER = "leader", _("Leader")
    VIEWER = "viewer", _("Viewer")


class User(AbstractUser):
    # Vietnamese names do not split into first and last name the way Django assumes.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(unit__isnull=False),
                name="user_unit_required_unless_admin",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username


class LoginUnlock(models.Model):
    """A link e-mailed to an account's own address that lets its owner past the lock others can
    put on the username by failing to log in as them. The link holds a random token; only its
    hash is stored, and it works once, for LOA_LOGIN_UNLOCK_MINUTES."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_unlocks")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("log-in unlock link")
        verbose_name_plural = _("log-in unlock links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A personal key to the read API (`Authorization: Bearer …`): it reads what its owner's
    pages show, no more. Only the SHA-256 of the key is kept; the key is shown once, when made.
    Revoking keeps the row (when it was made and last used stay visible) and refuses the key."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the key, to tell one's keys apart without keeping the key.
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.name} ({self.prefix}…)"
