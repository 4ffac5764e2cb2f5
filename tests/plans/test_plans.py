"""Communication plans, campaigns tied to events with the articles monitoring found for them,
and the units' Búa liềm vàng award entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.events.services import EventData, event_save
from loa.plans import selectors, services
from loa.plans.models import EntryStatus, Plan
from loa.plans.services import CampaignData, EntryData, PlanData
from tests.conftest import login
from tests.factories import Tree, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(tree: Tree) -> Plan:
    return services.plan_save(
        user=SYSTEM,
        plan=None,
        data=PlanData(
            title="Kế hoạch thông tin, tuyên truyền về doanh nghiệp nhà nước giai đoạn 2021 – 2025",
            unit=tree.board,
            first_year=2021,
            last_year=2026,
            objectives="Nâng cao hình ảnh doanh nghiệp nhà nước.",
            themes="Vai trò dẫn dắt của doanh nghiệp nhà nước\nChuyển đổi số",
            audiences=["members", "workers"],
            channels=["press", "social"],
            key_messages="Doanh nghiệp nhà nước là lực lượng nòng cốt.",
        ),
    )


def test_a_campaign_tied_to_an_event_counts_the_articles_monitoring_found(plan: Plan, users: dict[str, User]) -> None:
    holiday = event_save(
        user=SYSTEM, event=None, data=EventData(title="Ngày Quốc khánh", calendar="solar", day=2, month=9)
    )
    campaign = services.campaign_save(
        user=SYSTEM,
        plan=plan,
        campaign=None,
        data=CampaignData(
            title="Tuyên truyền Quốc khánh 2/9/2026",
            event=holiday,
            start=dt.date(2026, 8, 20),
            end=dt.date(2026, 9, 5),
            channels=["press"],
            query='"doanh nghiệp nhà nước" quốc khánh',
        ),
    )
    inside = make_article(
        title="Doanh nghiệp nhà nước chào mừng Quốc khánh",
        body="Các doanh nghiệp nhà nước tổ chức nhiều hoạt động chào mừng Quốc khánh 2/9 năm 2026.",
        published_at=dt.datetime(2026, 8, 30, 8, tzinfo=dt.UTC),
    )
    make_article(
        title="Doanh nghiệp nhà nước và Quốc khánh năm trước",
        body="Các doanh nghiệp nhà nước chào mừng Quốc khánh 2/9 năm 2025.",
        published_at=dt.datetime(2025, 8, 30, 8, tzinfo=dt.UTC),
    )
    candidates = selectors.campaign_candidates(campaign=campaign)
    assert [candidate.article for candidate in candidates] == [inside]
    with pytest.raises(PermissionDenied):
        services.output_add(user=users["evn_staff"], campaign=campaign, article=inside)
    services.output_add(user=users["bloc_staff"], campaign=campaign, article=inside)
    services.output_add(user=users["bloc_staff"], campaign=campaign, article=inside)
    assert campaign.outputs.count() == 1
    assert selectors.campaign_candidates(campaign=campaign)[0].linked
    page = login(users["bloc_staff"]).get(reverse("plans:campaign", args=[campaign.pk])).content.decode()
    assert "Doanh nghiệp nhà nước chào mừng Quốc khánh" in page


def test_plans_and_campaigns_refuse_what_does_not_fit(plan: Plan, tree: Tree, users: dict[str, User]) -> None:
    with pytest.raises(ValidationError, match="2021–2026"):
        services.campaign_save(
            user=SYSTEM,
            plan=plan,
            campaign=None,
            data=CampaignData(title="Quá hạn", start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 5)),
        )
    with pytest.raises(PermissionDenied):
        services.plan_save(user=users["evn_staff"], plan=plan, data=replace(PlanData.of(plan), title="Sửa"))
    mine = services.plan_save(
        user=users["evn_staff"],
        plan=None,
        data=PlanData(title="Kế hoạch EVN 2026", unit=tree.evn, first_year=2026, last_year=2026, objectives="…"),
    )
    assert list(selectors.plan_list(user=users["evn_staff"])) == [mine]
    assert set(selectors.plan_list(user=users["bloc_staff"])) == {plan, mine}


def test_award_entries_from_units_reviewed_by_the_bloc(tree: Tree, users: dict[str, User]) -> None:
    entry = services.entry_save(
        user=users["evn_staff"],
        entry=None,
        data=EntryData(
            year=2026,
            unit=tree.evn,
            title="Loạt bài: Đảng bộ EVN với chuyển đổi năng lượng",
            genre="online",
            outlet="Báo Điện tử Đảng Cộng sản Việt Nam",
            published_on=dt.date(2026, 6, 3),
            authors="Nhóm phóng viên",
        ),
    )
    with pytest.raises(PermissionDenied):
        services.entry_save(user=users["pvn_staff"], entry=entry, data=replace(EntryData.of(entry), title="x"))
    with pytest.raises(ValidationError, match="2025"):
        services.entry_save(
            user=users["evn_staff"],
            entry=None,
            data=EntryData(
                year=2025,
                unit=tree.evn,
                title="Bài muộn",
                genre="print",
                outlet="Báo",
                published_on=dt.date(2026, 1, 2),
            ),
        )
    with pytest.raises(PermissionDenied):
        services.entry_review(user=users["evn_staff"], entry=entry, status=EntryStatus.SELECTED)
    services.entry_review(user=users["bloc_staff"], entry=entry, status=EntryStatus.SENT, prize="Giải B")
    with pytest.raises(ValidationError):
        services.entry_save(
            user=users["evn_staff"], entry=entry, data=replace(EntryData.of(entry), title="Sửa sau khi chọn")
        )
    assert [e.title for e in selectors.entry_list(user=users["pvn_staff"])] == []
    page = login(users["bloc_staff"]).get(reverse("plans:awards"), {"year": "2026"}).content.decode()
    assert "Giải B" in page


def test_pages_for_a_writer(plan: Plan, users: dict[str, User], tree: Tree) -> None:
    client = login(users["bloc_staff"])
    assert client.get(reverse("plans:list")).status_code == 200
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "đảng viên, người lao động" in detail
    response = client.post(
        reverse("plans:campaign_create", args=[plan.pk]),
        {"title": "Chiến dịch", "start": "01/03/2026", "end": "31/03/2026", "channels": ["press"], "query": "evn"},
    )
    assert response.status_code == 302
    assert plan.campaigns.get().title == "Chiến dịch"
    data: dict[str, Any] = {
        "year": "2026",
        "unit": str(tree.board.pk),
        "title": "Tác phẩm",
        "genre": "print",
        "outlet": "Báo Nhân Dân",
        "published_on": "01/05/2026",
    }
    assert client.post(reverse("plans:award_create"), data).status_code == 302
