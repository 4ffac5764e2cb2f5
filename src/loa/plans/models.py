"""Communication plans per year or phase, their campaigns tied to events, the published articles
each campaign produced (found by monitoring), and the annual "Búa liềm vàng" award entries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PRESS = "press", _("press")
    BULLETIN = "bulletin", _("internal bulletins")
    WEBSITE = "website", _("websites")
    SOCIAL = "social", _("social pages")
    VISUAL = "visual", _("visual displays")
    MEETINGS = "meetings", _("meetings and briefings")


class Audience(models.TextChoices):
    CADRES = "cadres", _("key cadres")
    MEMBERS = "members", _("party members")
    WORKERS = "workers", _("workers and employees")
    YOUTH = "youth", _("youth union members")
    PRESS = "press", _("journalists and the press")
    PUBLIC = "public", _("the public and customers")


def channel_labels(codes: list[str]) -> list[str]:
    names = dict(Channel.choices)
    return [str(names.get(code, code)) for code in codes]


class Plan(models.Model):
    title = models.CharField(_("title"), max_length=300)
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="plans")
    first_year = models.PositiveSmallIntegerField(_("from year"))
    last_year = models.PositiveSmallIntegerField(_("to year"))
    directive = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("carries out"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans",
    )
    objectives = models.TextField(_("objectives"))
    themes = models.TextField(_("themes"), blank=True, help_text=_("One per line."))
    audiences = models.JSONField(_("target audiences"), default=list, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    key_messages = models.TextField(_("key messages"), blank=True, help_text=_("One per line."))
    owner = models.CharField(_("in charge"), max_length=200, blank=True, help_text=_("The body or post in charge."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("communication plan")
        verbose_name_plural = _("communication plans")
        ordering = ["-first_year", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(last_year__gte=models.F("first_year")), name="plan_years"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_labels(self) -> list[str]:
        names = dict(Audience.choices)
        return [str(names.get(code, code)) for code in self.audiences]

    @property
    def channel_labels(self) -> list[str]:
        return channel_labels(self.channels)

    @property
    def phase(self) -> str:
        return str(self.first_year) if self.first_year == self.last_year else f"{self.first_year}–{self.last_year}"


class Campaign(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="campaigns")
    title = models.CharField(_("title"), max_length=300)
    event = models.ForeignKey(
        "events.Event", verbose_name=_("event"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    channels = models.JSONField(_("channels"), default=list, blank=True)
    key_messages = models.TextField(_("key messages"), blank=True)
    query = models.CharField(
        _("search for outputs"),
        max_length=500,
        blank=True,
        help_text=_('Words that find the campaign\'s articles, e.g. "doanh nghiệp nhà nước" "Quốc khánh".'),
    )
    owner = models.CharField(_("in charge"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["start", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="campaign_dates")]

    def __str__(self) -> str:
        return self.title

    @property
    def channel_labels(self) -> list[str]:
        return channel_labels(self.channels)


class CampaignOutput(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="outputs")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign output")
        verbose_name_plural = _("campaign outputs")
        constraints = [models.UniqueConstraint(fields=["campaign", "article"], name="campaign_output_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.article_id}"


class Genre(models.TextChoices):
    PRINT = "print", _("print")
    ONLINE = "online", _("online")
    RADIO = "radio", _("radio")
    TELEVISION = "tv", _("television")
    PHOTO = "photo", _("photo")


class EntryStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted by the unit")
    SELECTED = "selected", _("selected by the bloc")
    SENT = "sent", _("sent to the central award")
    REJECTED = "rejected", _("not selected")


class AwardEntry(models.Model):
    """A work a unit puts forward for the annual "Búa liềm vàng" press award on party building.
    Authors are named as the published work names them; nothing else about them is kept."""

    year = models.PositiveSmallIntegerField(_("award year"))
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="award_entries"
    )
    title = models.CharField(_("work"), max_length=300)
    genre = models.CharField(_("genre"), max_length=10, choices=Genre.choices)
    outlet = models.CharField(_("published in"), max_length=200)
    published_on = models.DateField(_("published on"))
    authors = models.CharField(_("authors (as published)"), max_length=300, blank=True)
    article = models.ForeignKey("articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    url = models.URLField(_("address"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.SUBMITTED)
    prize = models.CharField(_("prize"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("award entry")
        verbose_name_plural = _("award entries")
        ordering = ["-year", "unit__path", "title"]

    def __str__(self) -> str:
        return self.title
