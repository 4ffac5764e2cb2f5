"""Demo data: the board's plan, campaigns and an award entry."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from loa.accounts.scoping import SYSTEM
from loa.events.models import Event
from loa.events.selectors import occurrences
from loa.plans.services import CampaignData, EntryData, PlanData, campaign_save, entry_save, plan_save
from loa.units.models import Unit


def load(units: dict[str, Unit]) -> None:
    """The board's plan for the year, a campaign for each of the next two anniversaries, and an
    award entry from EVN."""

    today = timezone.localdate()
    plan = plan_save(
        user=SYSTEM,
        plan=None,
        data=PlanData(
            title=f"Kế hoạch thông tin, tuyên truyền về doanh nghiệp nhà nước năm {today.year}",
            unit=units["duk-btg"],
            first_year=today.year,
            last_year=today.year + 1,
            objectives="Tuyên truyền kịp thời, chính xác về vai trò nòng cốt của doanh nghiệp nhà nước; "
            "chủ động cung cấp thông tin cho báo chí; đấu tranh với thông tin sai lệch.",
            themes="Kết quả sản xuất kinh doanh\nChuyển đổi số, chuyển đổi xanh\nXây dựng Đảng trong doanh nghiệp",
            audiences=["cadres", "members", "workers", "press"],
            channels=["press", "bulletin", "website", "social", "visual"],
            key_messages="Doanh nghiệp nhà nước là lực lượng nòng cốt, dẫn dắt nền kinh tế.",
            owner="Ban Tuyên giáo và Dân vận Đảng ủy Khối",
        ),
    )
    anniversaries = Event.objects.filter(kind__in=["anniversary", "holiday"], year=None)
    coming = [
        o
        for o in occurrences(user=SYSTEM, start=today, end=dt.date(today.year + 1, 12, 31))
        if o.event in anniversaries
    ][:2]
    for occurrence in coming:
        campaign_save(
            user=SYSTEM,
            plan=plan,
            campaign=None,
            data=CampaignData(
                title=f"Tuyên truyền {occurrence.event.title} {occurrence.date.year}",
                event=occurrence.event,
                # Kept inside the plan's years, as the plan requires.
                start=max(occurrence.date - dt.timedelta(days=14), dt.date(today.year, 1, 1)),
                end=min(occurrence.date + dt.timedelta(days=3), dt.date(today.year + 1, 12, 31)),
                channels=["press", "social", "visual"],
                query=occurrence.event.title,
            ),
        )
    entry_save(
        user=SYSTEM,
        entry=None,
        data=EntryData(
            year=today.year,
            unit=units["evn"],
            title="Loạt bài: Công tác xây dựng Đảng gắn với nhiệm vụ bảo đảm điện",
            genre="online",
            outlet="Báo điện tử Đảng Cộng sản Việt Nam",
            published_on=today - dt.timedelta(days=60),
            authors="Nhóm phóng viên",
        ),
    )
