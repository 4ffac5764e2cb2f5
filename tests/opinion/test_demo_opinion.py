"""The demo's opinion data shows what the synthesis is for: a topic list with a synonym
proposed by a unit, a rising topic over complete months, this month short of reports."""

from __future__ import annotations

import pytest
from django.utils import timezone

from loa.accounts.models import User
from loa.devtools.demo import demo_load
from loa.opinion import selectors
from loa.opinion.models import Topic, TopicStatus

pytestmark = pytest.mark.django_db


def test_the_demo_synthesis() -> None:
    demo_load(password="mật-khẩu-demo-đủ-dài-42")
    reader = User.objects.get(username="btg.chuyenvien")
    result = selectors.synthesis(user=reader)
    this_month = timezone.localdate().strftime("%Y-%m")
    assert result.periods[-1] == this_month
    assert result.complete == result.periods[:-1]
    assert result.rising == ["Giá điện, giá xăng dầu"]
    proposal = Topic.objects.get(status=TopicStatus.PROPOSED)
    assert proposal.name == "Sắp xếp tổ chức bộ máy"
