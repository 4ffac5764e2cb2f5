"""Writes of opinion reports: a unit's report with its opinion streams, and its submission."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import acting_user, require
from loa.opinion.models import OpinionItem, OpinionReport, ReportKind
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


@transaction.atomic
def report_save(
    *, user: object, unit: Unit, kind: str, period: str, streams: list[Stream], report: OpinionReport | None = None
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
                topic=normalize(stream.topic.strip())[:200],
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


def report_submit(*, user: object, report: OpinionReport) -> OpinionReport:
    require(user, roles.WRITE, report.unit)
    if report.submitted_at is None:
        report.submitted_at = timezone.now()
        report.submitted_by = acting_user(user)
        report.save(update_fields=["submitted_at", "submitted_by"])
    return report
