"""Units and their revisions.

A unit keeps one identity for its whole life; renames, moves, merges and dissolution
are revisions with validity dates, so documents and coverage of the past still name the
unit as it was then. The materialised `path` of ids makes "this unit and everything
below it" one indexed prefix query, which is what scoping asks for on every request.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    BLOC = "bloc", _("Bloc party committee")
    COMMITTEE = "committee", _("Directly subordinate party committee")
    GRASSROOTS = "grassroots", _("Grassroots party committee")
    CELL = "cell", _("Party cell")
    BOARD = "board", _("Advisory board")
    OTHER = "other", _("Other unit")


class Unit(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120)
    symbol = models.CharField(
        _("symbol"),
        max_length=30,
        blank=True,
        help_text=_("Short symbol used in document numbers, e.g. ĐUK in 60-KL/ĐUK."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("First day on which the unit no longer exists in this form."),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("succeeded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    # The four-eyes rule on press statements (someone other than the author reviews) cannot be
    # kept by a unit with one staff member; an administrator may lift it for such a unit only.
    author_may_review = models.BooleanField(
        _("the author may review their own press statements"),
        default=False,
        help_text=_(
            "Only for a unit with a single staff member; it lapses by itself when the unit has more. "
            "Set by an administrator."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="unit_path_idx", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                name="unit_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class RevisionKind(models.TextChoices):
    CREATED = "created", _("Created")
    RENAMED = "renamed", _("Renamed or changed")
    MOVED = "moved", _("Moved")
    MERGED = "merged", _("Merged into another unit")
    DISSOLVED = "dissolved", _("Dissolved")


class UnitRevision(models.Model):
    """How a unit was named, placed and symbolised during one period."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(_("change"), max_length=20, choices=RevisionKind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120)
    symbol = models.CharField(_("symbol"), max_length=30, blank=True)
    unit_kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unit revision")
        verbose_name_plural = _("unit revisions")
        ordering = ["unit", "valid_from", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y})"
