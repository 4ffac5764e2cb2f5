"""The event calendar: anniversaries and holidays by the solar or the lunar calendar, congresses,
sessions and campaigns; yearly or once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday")
    ANNIVERSARY = "anniversary", _("anniversary")
    CONGRESS = "congress", _("congress")
    SESSION = "session", _("session or conference")
    CAMPAIGN = "campaign", _("campaign")
    OTHER = "other", _("other")


class CalendarKind(models.TextChoices):
    SOLAR = "solar", _("solar (dương lịch)")
    LUNAR = "lunar", _("lunar (âm lịch)")


class Event(models.Model):
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices, default=EventKind.ANNIVERSARY)
    calendar = models.CharField(_("calendar"), max_length=6, choices=CalendarKind.choices, default=CalendarKind.SOLAR)
    day = models.PositiveSmallIntegerField(_("day"))
    month = models.PositiveSmallIntegerField(_("month"))
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Empty: every year. For a lunar date, the lunar year.")
    )
    days = models.PositiveSmallIntegerField(_("lasting (days)"), default=1)
    since = models.PositiveSmallIntegerField(
        _("first year"), null=True, blank=True, help_text=_("For anniversaries: the year counted from (e.g. 1930).")
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Empty: the whole bloc."),
    )
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["month", "day", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(day__gte=1, day__lte=31, month__gte=1, month__lte=12), name="event_day_month"
            ),
            models.CheckConstraint(condition=models.Q(days__gte=1, days__lte=60), name="event_days"),
        ]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A user's secret calendar address, for Outlook or Google Calendar to subscribe to without a
    log-in. Only the SHA-256 of the random token is kept: the address is shown once, when it is
    made; revoking deletes the row and regenerating replaces the hash, so an old address dies."""

    user = models.OneToOneField(
        "accounts.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last fetched"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self) -> str:
        return str(self.user)
