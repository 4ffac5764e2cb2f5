"""Study plans and the audiences they are laid out for."""

from __future__ import annotations

import datetime as dt

from loa.study.models import StudyPlan
from loa.units.models import Unit


def make_study_plan(unit: Unit, label: str, *, key_cadres: int = 5) -> StudyPlan:
    """The unit's study plan 'Học tập <label>' for 2026, laid out for its audiences."""
    from loa.accounts.scoping import SYSTEM
    from loa.study.services import StudyPlanData, audiences_save, plan_generate, plan_save

    audiences_save(user=SYSTEM, unit=unit, headcounts={"key_cadres": key_cadres})
    plan = plan_save(
        user=SYSTEM,
        plan=None,
        data=StudyPlanData(title=f"Học tập {label}", unit=unit, complete_by=dt.date(2026, 12, 31)),
    )
    plan_generate(user=SYSTEM, plan=plan)
    return plan
