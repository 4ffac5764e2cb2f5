"""Demo data: a study plan laid out for the bloc's audiences."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from loa.accounts.scoping import SYSTEM
from loa.study.services import LEVEL_OF_KIND, StudyPlanData, attendance_record, audiences_save, plan_generate, plan_save
from loa.units.models import Unit


def load(units: dict[str, Unit]) -> None:
    """Audiences of every party organisation, a resolution laid out for study, one session held."""

    sizes = {"bloc": (15, 0, 0), "upper": (25, 0, 6), "grassroots": (20, 180, 12), "cell": (3, 14, 1)}
    for unit in units.values():
        level = LEVEL_OF_KIND.get(unit.kind)
        if level is None:
            continue
        cadres, members, new = sizes[level]
        audiences_save(
            user=SYSTEM,
            unit=unit,
            headcounts={"key_cadres": cadres, "members": members, "new_members": new, "candidates": new // 2},
        )
    today = timezone.localdate()
    plan = plan_save(
        user=SYSTEM,
        plan=None,
        data=StudyPlanData(
            title="Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
            unit=units["duk"],
            complete_by=today + dt.timedelta(days=45),
        ),
    )
    plan_generate(user=SYSTEM, plan=plan)
    held = plan.sessions.filter(group="key_cadres", organiser=units["duk"]).first()
    if held is not None:
        counts: dict[int, tuple[int, int | None]] = {
            row.unit_id: (row.expected - 1 if row.expected > 3 else row.expected, None) for row in held.attendees.all()
        }
        attendance_record(user=SYSTEM, session=held, held_on=today - dt.timedelta(days=7), counts=counts)
