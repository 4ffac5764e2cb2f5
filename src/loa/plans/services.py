"""Writes of communication plans, campaigns and their outputs, and award entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import Actor, acting_user, require, writes_bloc_wide
from loa.articles.models import Article
from loa.directives.models import Directive
from loa.events.models import Event
from loa.plans.models import AwardEntry, Campaign, CampaignOutput, EntryStatus, Plan
from loa.units.models import Unit


@dataclass(frozen=True)
class PlanData:
    """What a writer sets on a communication plan."""

    title: str
    unit: Unit
    first_year: int
    last_year: int
    objectives: str
    directive: Directive | None = None
    themes: str = ""
    audiences: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    key_messages: str = ""
    owner: str = ""

    @classmethod
    def of(cls, plan: Plan) -> PlanData:
        return cls(**_values_of(plan, cls))


@dataclass(frozen=True)
class CampaignData:
    """What a writer sets on a campaign of a plan."""

    title: str
    start: dt.date
    end: dt.date
    event: Event | None = None
    channels: list[str] = field(default_factory=list)
    key_messages: str = ""
    query: str = ""
    owner: str = ""

    @classmethod
    def of(cls, campaign: Campaign) -> CampaignData:
        return cls(**_values_of(campaign, cls))


@dataclass(frozen=True)
class EntryData:
    """What a unit sets on its award entry."""

    year: int
    unit: Unit
    title: str
    genre: str
    outlet: str
    published_on: dt.date
    authors: str = ""
    article: Article | None = None
    url: str = ""
    note: str = ""

    @classmethod
    def of(cls, entry: AwardEntry) -> EntryData:
        return cls(**_values_of(entry, cls))


def _values_of(target: Any, data_class: type) -> dict[str, Any]:
    return {item.name: getattr(target, item.name) for item in fields(data_class)}


def _require(user: Actor, unit: Unit | None) -> None:
    if unit is None:
        raise PermissionDenied(_("You may not do this for %(unit)s.") % {"unit": "—"})
    require(user, roles.WRITE, unit)


def _apply(target: Any, data: PlanData | CampaignData | EntryData) -> None:
    for item in fields(data):
        value = getattr(data, item.name)
        setattr(target, item.name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def plan_save(*, user: Actor, plan: Plan | None, data: PlanData) -> Plan:
    target = plan or Plan()
    if plan is not None:
        _require(user, plan.unit)
    _apply(target, data)
    _require(user, target.unit)
    if target.last_year - target.first_year > 10:
        raise ValidationError(_("A plan covers at most ten years."))
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def campaign_save(*, user: Actor, plan: Plan, campaign: Campaign | None, data: CampaignData) -> Campaign:
    _require(user, plan.unit)
    target = campaign or Campaign(plan=plan)
    if target.plan_id != plan.pk:
        raise ValidationError(_("That campaign belongs to another plan."))
    _apply(target, data)
    if target.start and target.end and not (plan.first_year <= target.start.year and target.end.year <= plan.last_year):
        raise ValidationError(_("The campaign must fall within the plan's years (%(phase)s).") % {"phase": plan.phase})
    target.full_clean()
    target.save()
    return target


def output_add(*, user: Actor, campaign: Campaign, article: Article) -> CampaignOutput:
    _require(user, campaign.plan.unit)
    output, _created = CampaignOutput.objects.get_or_create(
        campaign=campaign, article=article, defaults={"added_by": acting_user(user)}
    )
    return output


def output_remove(*, user: Actor, output: CampaignOutput) -> None:
    _require(user, output.campaign.plan.unit)
    output.delete()


@transaction.atomic
def entry_save(*, user: Actor, entry: AwardEntry | None, data: EntryData) -> AwardEntry:
    target = entry or AwardEntry()
    if entry is not None:
        _require(user, entry.unit)
        if entry.status != EntryStatus.SUBMITTED:
            raise ValidationError(_("The bloc has reviewed this entry; it is no longer changed."))
    _apply(target, data)
    _require(user, target.unit)
    if target.published_on and target.published_on.year > target.year:
        raise ValidationError(_("A work entered for %(year)s must be published by then.") % {"year": target.year})
    target.full_clean()
    target.save()
    return target


def entry_review(*, user: Actor, entry: AwardEntry, status: str, prize: str = "") -> AwardEntry:
    """The bloc's selection: chosen for the bloc, sent on to the central award, or not."""
    if not (writes_bloc_wide(user)):
        raise PermissionDenied(_("Only the bloc's staff review award entries."))
    if status not in EntryStatus.values:
        raise ValidationError(_("Unknown status."))
    entry.status, entry.prize = status, prize.strip()[:60]
    entry.save(update_fields=["status", "prize"])
    return entry
