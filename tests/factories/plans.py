"""Propaganda plans, their campaigns, and award entries."""

from __future__ import annotations

import datetime as dt

from loa.plans.models import AwardEntry, Plan
from loa.units.models import Unit


def make_plan(unit: Unit, label: str) -> Plan:
    """2026's plan 'Kế hoạch <label>' of the unit, with a March campaign 'Chiến dịch <label>'."""
    from loa.accounts.scoping import SYSTEM
    from loa.plans.services import CampaignData, PlanData, campaign_save, plan_save

    plan = plan_save(
        user=SYSTEM,
        plan=None,
        data=PlanData(title=f"Kế hoạch {label}", unit=unit, first_year=2026, last_year=2026, objectives="…"),
    )
    campaign_save(
        user=SYSTEM,
        plan=plan,
        campaign=None,
        data=CampaignData(title=f"Chiến dịch {label}", start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31)),
    )
    return plan


def make_award_entry(unit: Unit, label: str) -> AwardEntry:
    """The unit's 2026 print entry 'Tác phẩm <label>' for the press award."""
    from loa.accounts.scoping import SYSTEM
    from loa.plans.services import EntryData, entry_save

    return entry_save(
        user=SYSTEM,
        entry=None,
        data=EntryData(
            year=2026,
            unit=unit,
            title=f"Tác phẩm {label}",
            genre="print",
            outlet="Báo",
            published_on=dt.date(2026, 5, 1),
        ),
    )
