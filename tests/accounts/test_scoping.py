"""Scoping rules per role: the one place that decides what each user may see."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from loa.accounts import roles
from loa.accounts.models import Role, User
from loa.accounts.scoping import Actor, scope_filter, scope_of, user_can
from loa.accounts.selectors import user_list
from loa.accounts.services import user_change_role
from loa.units.models import Unit
from loa.units.selectors import unit_list, unit_tree
from tests.factories import Tree

pytestmark = pytest.mark.django_db


def visible_units(user: Actor) -> set[int]:
    return set(scope_filter(Unit.objects.all(), user, unit_field="").values_list("pk", flat=True))


def test_admin_and_bloc_staff_see_every_unit(tree: Tree, users: dict[str, User]) -> None:
    everything = set(Unit.objects.values_list("pk", flat=True))
    assert visible_units(users["admin"]) == everything
    assert visible_units(users["bloc_staff"]) == everything


@pytest.mark.parametrize("who", ["evn_staff", "evn_leader", "evn_viewer"])
def test_unit_roles_see_their_subtree_only(tree: Tree, users: dict[str, User], who: str) -> None:
    assert visible_units(users[who]) == tree.evn_subtree


def test_subunit_staff_do_not_see_their_parent_or_siblings(tree: Tree, users: dict[str, User]) -> None:
    assert visible_units(users["evn_a_staff"]) == {tree.evn_a.pk}


def test_anonymous_and_inactive_users_see_nothing(tree: Tree, users: dict[str, User]) -> None:
    assert visible_units(AnonymousUser()) == set()
    staff = users["evn_staff"]
    staff.is_active = False
    assert visible_units(staff) == set()
    assert scope_of(staff).empty


def test_accounts_are_scoped_through_their_unit(tree: Tree, users: dict[str, User]) -> None:
    names = set(user_list(user=users["evn_staff"]).values_list("username", flat=True))
    assert names == {"evn.staff", "evn.leader", "evn.viewer", "evna.staff"}
    assert "quantri" in set(user_list(user=users["bloc_staff"]).values_list("username", flat=True))


def test_capabilities_follow_roles(users: dict[str, User], tree: Tree) -> None:
    assert user_can(users["evn_staff"], roles.WRITE, tree.evn_a)
    assert not user_can(users["evn_staff"], roles.WRITE, tree.pvn)
    assert not user_can(users["evn_viewer"], roles.WRITE)
    assert user_can(users["evn_leader"], roles.APPROVE, tree.evn)
    assert not user_can(users["evn_leader"], roles.WRITE)
    assert user_can(users["bloc_staff"], roles.READ_AUDIT)
    assert not user_can(users["evn_staff"], roles.READ_AUDIT)
    assert user_can(users["admin"], roles.ADMINISTER)
    assert not user_can(AnonymousUser(), roles.WRITE)


def test_dissolved_subunits_stay_visible_to_the_unit_above(tree: Tree, users: dict[str, User]) -> None:
    import datetime as dt

    from loa.units.services import unit_dissolve

    unit_dissolve(unit=tree.evn_b, effective=dt.date(2024, 1, 1))
    current = {u.pk for u in unit_list(user=users["evn_staff"])}
    everything = {u.pk for u in unit_list(user=users["evn_staff"], include_inactive=True)}
    assert tree.evn_b.pk not in current
    assert tree.evn_b.pk in everything


def test_tree_rows_are_depth_first_and_start_at_the_users_unit(tree: Tree, users: dict[str, User]) -> None:
    rows = unit_tree(user=users["evn_staff"])
    assert next(row.unit.pk for row in rows) == tree.evn.pk
    assert [row.level for row in rows] == [0, 1, 1]


def test_role_change_keeps_admin_flags_consistent(tree: Tree, users: dict[str, User]) -> None:
    user = users["evn_staff"]
    user_change_role(user=user, role=Role.ADMIN, unit=None)
    assert user.is_staff
    assert user.is_superuser
    user_change_role(user=user, role=Role.VIEWER, unit=tree.evn)
    stored = User.objects.get(pk=user.pk)
    assert not stored.is_staff
    assert not stored.is_superuser


def test_non_admin_needs_a_unit(users: dict[str, User]) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        user_change_role(user=users["evn_staff"], role=Role.UNIT_STAFF, unit=None)
