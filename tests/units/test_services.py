"""The unit tree keeps identity and history through renames, moves, merges and dissolution."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from loa.units.models import RevisionKind, Unit, UnitKind
from loa.units.selectors import unit_revision_on
from loa.units.services import unit_change, unit_dissolve, unit_merge, unit_move
from tests.factories import Tree, make_unit

pytestmark = pytest.mark.django_db

D = dt.date


def test_paths_nest_under_parents(tree: Tree) -> None:
    assert tree.bloc.path == f"/{tree.bloc.pk}/"
    assert tree.evn_a.path == f"/{tree.bloc.pk}/{tree.evn.pk}/{tree.evn_a.pk}/"
    assert tree.evn_a.depth == 2
    below_evn = set(Unit.objects.filter(path__startswith=tree.evn.path).values_list("pk", flat=True))
    assert below_evn == tree.evn_subtree


def test_path_prefix_does_not_confuse_ids_sharing_digits() -> None:
    # Unit 1's subtree must not include unit 10 or 11: the trailing slash separates them.
    root = make_unit()
    units = [make_unit(parent=root) for _ in range(12)]
    first = units[0]
    matched = Unit.objects.filter(path__startswith=first.path).values_list("pk", flat=True)
    assert list(matched) == [first.pk]


def test_rename_keeps_the_old_name_for_earlier_dates(tree: Tree) -> None:
    unit_change(unit=tree.board, effective=D(2025, 3, 1), name="Ban Tuyên giáo và Dân vận", symbol="BTGDV")
    tree.board.refresh_from_db()
    assert tree.board.name == "Ban Tuyên giáo và Dân vận"
    before = unit_revision_on(unit=tree.board, day=D(2024, 12, 31))
    after = unit_revision_on(unit=tree.board, day=D(2025, 3, 1))
    assert before is not None
    assert before.name == "Ban Tuyên giáo Đảng ủy Khối"
    assert before.symbol == "BTG"
    assert after is not None
    assert after.name == "Ban Tuyên giáo và Dân vận"
    assert after.symbol == "BTGDV"
    assert unit_revision_on(unit=tree.board, day=D(2019, 12, 31)) is None


def test_same_day_correction_replaces_instead_of_stacking(tree: Tree) -> None:
    unit_change(unit=tree.evn, effective=D(2024, 5, 1), name="Tên tạm")
    unit_change(unit=tree.evn, effective=D(2024, 5, 1), name="Tên đúng")
    names = list(tree.evn.revisions.values_list("name", flat=True))
    assert names == ["Đảng ủy Tập đoàn Điện lực", "Tên đúng"]


def test_change_cannot_predate_the_previous_change(tree: Tree) -> None:
    unit_change(unit=tree.evn, effective=D(2024, 5, 1), name="Tên mới")
    with pytest.raises(ValidationError):
        unit_change(unit=tree.evn, effective=D(2024, 4, 1), name="Tên cũ hơn")


def test_move_carries_the_whole_subtree(tree: Tree) -> None:
    unit_move(unit=tree.evn, new_parent=tree.pvn, effective=D(2024, 1, 1))
    tree.evn_a.refresh_from_db()
    assert tree.evn_a.path == f"{tree.pvn.path}{tree.evn.pk}/{tree.evn_a.pk}/"
    assert tree.evn_a.depth == 3
    revision = unit_revision_on(unit=tree.evn, day=D(2023, 6, 1))
    assert revision is not None
    assert revision.parent == tree.bloc
    latest = unit_revision_on(unit=tree.evn, day=D(2024, 6, 1))
    assert latest is not None
    assert latest.parent == tree.pvn
    assert latest.kind == RevisionKind.MOVED


def test_move_under_own_descendant_is_refused(tree: Tree) -> None:
    with pytest.raises(ValidationError):
        unit_move(unit=tree.evn, new_parent=tree.evn_a, effective=D(2024, 1, 1))


def test_merge_moves_children_and_ends_the_merged_unit(tree: Tree) -> None:
    unit_merge(units=[tree.pvn], into=tree.evn, effective=D(2025, 1, 1), note="sáp nhập")
    tree.pvn.refresh_from_db()
    tree.pvn_a.refresh_from_db()
    assert tree.pvn.valid_to == D(2025, 1, 1)
    assert tree.pvn.successor == tree.evn
    assert tree.pvn_a.parent == tree.evn
    assert tree.pvn_a.path.startswith(tree.evn.path)
    assert not tree.pvn.is_active_on(D(2025, 1, 1))
    assert tree.pvn.is_active_on(D(2024, 12, 31))
    assert unit_revision_on(unit=tree.pvn, day=D(2025, 1, 2)) is None
    assert tree.pvn.revisions.filter(kind=RevisionKind.MERGED).exists()


def test_merge_into_a_subunit_is_refused(tree: Tree) -> None:
    with pytest.raises(ValidationError):
        unit_merge(units=[tree.evn], into=tree.evn_a, effective=D(2025, 1, 1))


def test_dissolve_requires_subunits_to_be_handled_first(tree: Tree) -> None:
    with pytest.raises(ValidationError):
        unit_dissolve(unit=tree.evn, effective=D(2025, 1, 1))
    unit_dissolve(unit=tree.evn_b, effective=D(2025, 1, 1))
    tree.evn_b.refresh_from_db()
    assert tree.evn_b.valid_to == D(2025, 1, 1)


def test_child_cannot_start_before_its_parent_exists() -> None:
    parent = make_unit(valid_from=D(2021, 1, 1))
    with pytest.raises(ValidationError):
        make_unit(parent=parent, valid_from=D(2020, 6, 1), kind=UnitKind.CELL)


def test_code_is_unique(tree: Tree) -> None:
    with pytest.raises(ValidationError):
        make_unit(code=tree.evn.code)
