"""The study plan page names audience groups and levels, never their codes ("members → cell")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.study import services
from tests.conftest import login
from tests.factories import Tree
from tests.study.test_study import audiences, make_plan

pytestmark = pytest.mark.django_db


def test_the_planners_fallbacks_are_named(tree: Tree, users: dict[str, User]) -> None:
    audiences(tree)
    plan = services.plan_generate(user=SYSTEM, plan=make_plan(tree))
    page = login(users["bloc_staff"]).get(reverse("study:detail", args=[plan.pk])).content.decode()
    fallbacks = page.split('data-testid="fallbacks"')[1].split("</p>")[0]
    assert "members" not in fallbacks
    assert f"{tree.evn_b.name} (đảng viên → chi bộ)" in fallbacks
