"""Writes of opinion reports: a unit's report with its opinion streams, and its submission; the
managed list of topics (add, rename, accept a proposal, merge synonyms) and the synthesis rule."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import Actor, acting_user, require, writes_bloc_wide
from loa.opinion.models import OpinionItem, OpinionReport, ReportKind, SynthesisRule, Topic, TopicStatus
from loa.opinion.synthesis import topic_key
from loa.text.normalization import normalize
from loa.units.models import Unit

_PERIOD = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")
# "ông Nguyễn Văn A", "đồng chí Trần B", "chị Lan": a title, then a capitalised word — a person
# named in what must stay aggregate ("chị em công nhân", "anh ấy" are not names).
_TITLE = re.compile(r"\b(?:ông|bà|anh|chị|em|cô|chú|đồng chí|đ/c|cháu)\s+(\w+)", re.IGNORECASE)


@dataclass(frozen=True)
class Stream:
    topic: str
    tendency: str
    breadth: str
    intensity: int = 2
    summary: str = ""
    proposals: str = ""


def _no_names(text: str) -> None:
    for match in _TITLE.finditer(normalize(text)):
        if match.group(1)[0].isupper():
            raise ValidationError(
                _("Opinion reports are aggregate and name no one; remove “%(name)s”.") % {"name": match.group(0)}
            )


def _require_bloc(user: Actor) -> None:
    if not writes_bloc_wide(user):
        raise PermissionDenied(_("Only staff of the bloc manage the list of topics."))


def _clean_name(name: str) -> tuple[str, str]:
    name = normalize(name.strip())[:200]
    key = topic_key(name)
    if not key:
        raise ValidationError(_("Give the topic a name."))
    return name, key


def topic_resolve(*, name: str, unit: Unit) -> Topic:
    """The list entry a unit's wording stands for: the topic (or the one an alias was merged
    into) whose words fold the same, else a new topic proposed by the unit."""
    name, key = _clean_name(name)
    topic = Topic.objects.filter(key=key).first()
    if topic is None:
        return Topic.objects.create(name=name, key=key, status=TopicStatus.PROPOSED, proposed_by=unit)
    while topic.merged_into_id is not None:
        topic = Topic.objects.get(pk=topic.merged_into_id)
    return topic


@transaction.atomic
def topic_create(*, user: Actor, name: str, description: str = "") -> Topic:
    _require_bloc(user)
    name, key = _clean_name(name)
    if Topic.objects.filter(key=key).exists():
        raise ValidationError(_("“%(name)s” is already in the list (or an alias of a topic).") % {"name": name})
    return Topic.objects.create(name=name, key=key, description=description.strip(), status=TopicStatus.ACCEPTED)


@transaction.atomic
def topic_rename(*, user: Actor, topic: Topic, name: str, description: str | None = None) -> Topic:
    _require_bloc(user)
    if topic.status == TopicStatus.MERGED:
        raise ValidationError(_("A merged topic is an alias; rename the topic it was merged into."))
    name, key = _clean_name(name)
    if Topic.objects.filter(key=key).exclude(pk=topic.pk).exists():
        raise ValidationError(_("“%(name)s” is already in the list; merge the two topics instead.") % {"name": name})
    old_name, old_key = topic.name, topic.key
    topic.name, topic.key = name, key
    fields = ["name", "key"]
    if description is not None:
        topic.description = description.strip()
        fields.append("description")
    topic.save(update_fields=fields)
    if key != old_key:
        # The old name stays as an alias, so reports still worded that way find the topic.
        Topic.objects.create(name=old_name, key=old_key, status=TopicStatus.MERGED, merged_into=topic)
    return topic


@transaction.atomic
def topic_accept(*, user: Actor, topic: Topic) -> Topic:
    _require_bloc(user)
    if topic.status != TopicStatus.PROPOSED:
        raise ValidationError(_("Only a proposed topic is accepted."))
    topic.status = TopicStatus.ACCEPTED
    topic.save(update_fields=["status"])
    return topic


@transaction.atomic
def topic_merge(*, user: Actor, topic: Topic, into: Topic) -> Topic:
    """Merge a synonym (or a proposal) into the topic kept: its streams move to the kept topic,
    its name stays as an alias that later reports' wording resolves to. Returns the kept topic."""
    _require_bloc(user)
    if topic.pk == into.pk:
        raise ValidationError(_("A topic is not merged into itself."))
    if into.status != TopicStatus.ACCEPTED:
        raise ValidationError(_("Merge into a topic of the list."))
    if topic.status == TopicStatus.MERGED:
        raise ValidationError(_("This topic is already merged."))
    OpinionItem.objects.filter(topic=topic).update(topic=into)
    # Aliases of the merged topic now point at the kept one, so no chain grows.
    for alias in Topic.objects.filter(merged_into=topic):
        alias.merged_into = into
        alias.save(update_fields=["merged_into"])
    topic.status, topic.merged_into = TopicStatus.MERGED, into
    topic.save(update_fields=["status", "merged_into"])
    return into


def rule_get() -> SynthesisRule:
    return SynthesisRule.objects.get_or_create(pk=1)[0]


def rule_save(*, user: Actor, complete_share: int, rising_min_units: int) -> SynthesisRule:
    _require_bloc(user)
    rule = rule_get()
    rule.complete_share, rule.rising_min_units = complete_share, rising_min_units
    rule.full_clean()
    rule.save(update_fields=["complete_share", "rising_min_units"])
    return rule


@transaction.atomic
def report_save(
    *, user: Actor, unit: Unit, kind: str, period: str, streams: list[Stream], report: OpinionReport | None = None
) -> OpinionReport:
    require(user, roles.WRITE, unit)
    if not _PERIOD.match(period):
        raise ValidationError(_("Write the period as YYYY-MM."))
    if kind not in ReportKind.values:
        raise ValidationError(_("Unknown kind of report."))
    if not streams:
        raise ValidationError(_("Give at least one opinion stream."))
    for stream in streams:
        if not stream.topic.strip():
            raise ValidationError(_("Each opinion stream needs a topic."))
        _no_names(f"{stream.topic}\n{stream.summary}\n{stream.proposals}")
    if report is not None and report.submitted_at is not None:
        raise ValidationError(_("A submitted report is not changed; send an ad hoc report instead."))
    duplicate = OpinionReport.objects.filter(unit=unit, kind=kind, period=period).exists()
    if report is None and kind != ReportKind.AD_HOC and duplicate:
        raise ValidationError(_("The unit has already reported for %(period)s.") % {"period": period})
    target = report or OpinionReport(unit=unit)
    target.unit, target.kind, target.period = unit, kind, period
    target.full_clean(validate_constraints=False)
    target.save()
    target.items.all().delete()
    OpinionItem.objects.bulk_create(
        [
            OpinionItem(
                report=target,
                topic=topic_resolve(name=stream.topic, unit=unit),
                tendency=stream.tendency,
                breadth=stream.breadth,
                intensity=stream.intensity,
                summary=stream.summary.strip(),
                proposals=stream.proposals.strip(),
            )
            for stream in streams
        ]
    )
    for item in target.items.all():
        item.full_clean()
    return target


def report_submit(*, user: Actor, report: OpinionReport) -> OpinionReport:
    require(user, roles.WRITE, report.unit)
    if report.submitted_at is None:
        report.submitted_at = timezone.now()
        report.submitted_by = acting_user(user)
        report.save(update_fields=["submitted_at", "submitted_by"])
    return report
