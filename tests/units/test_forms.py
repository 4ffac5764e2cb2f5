"""The unit tree chooser: check boxes in the order of the tree, indented by depth, a filter key
without diacritics, the branch below each unit; only units in the tree can be chosen."""

from __future__ import annotations

import re

import pytest
from django import forms

from loa.accounts.models import User
from loa.units.forms import UnitTreeChoiceField, tree_options
from loa.units.selectors import unit_tree
from tests.factories import Tree

pytestmark = pytest.mark.django_db


class ChooseForm(forms.Form):
    units = UnitTreeChoiceField(label="Units")


def _form(user: User, data: dict[str, object] | None = None, **kwargs: object) -> ChooseForm:
    form = ChooseForm(data, **kwargs)  # type: ignore[arg-type]
    field = form.fields["units"]
    assert isinstance(field, UnitTreeChoiceField)
    field.set_tree(unit_tree(user=user))
    return form


def test_options_follow_the_tree_with_their_branch(tree: Tree, users: dict[str, User]) -> None:
    options = tree_options(unit_tree(user=users["bloc_staff"]))
    by_pk = {option.value: option for option in options}
    # The bloc staff's scope is the whole bloc, listed depth first.
    assert [option.value for option in options][:1] == [tree.bloc.pk]
    assert by_pk[tree.evn_a.pk].level == by_pk[tree.evn.pk].level + 1
    order = [option.value for option in options]
    # A unit's subunits follow it, before its next sibling.
    evn = order.index(tree.evn.pk)
    assert set(order[evn + 1 : evn + 3]) == {tree.evn_a.pk, tree.evn_b.pk}
    assert set(by_pk[tree.evn.pk].branch) == {tree.evn.pk, tree.evn_a.pk, tree.evn_b.pk}
    assert by_pk[tree.evn_a.pk].branch == (tree.evn_a.pk,)
    assert "dang uy tap doan dien luc" in by_pk[tree.evn.pk].search


def test_the_widget_renders_indented_check_boxes_without_inline_script(tree: Tree, users: dict[str, User]) -> None:
    html = str(_form(users["bloc_staff"], initial={"units": [tree.evn.pk]})["units"])
    assert "<select" not in html
    boxes = re.findall(r'<input type="checkbox" name="units" value="(\d+)"[^>]*>', html)
    assert [int(value) for value in boxes] == [row.unit.pk for row in unit_tree(user=users["bloc_staff"])]
    assert re.search(rf'value="{tree.evn.pk}" id="[^"]+" checked', html)
    assert not re.search(rf'value="{tree.pvn.pk}" id="[^"]+" checked', html)
    assert 'class="depth-2" data-search="dang uy dien luc mien bac' in html
    # The filter and branch buttons come with the static script; no inline script or style.
    assert re.search(r'<script src="[^"]+units/unit_tree\.js" defer></script>', html)
    assert "<script>" not in html
    assert "style=" not in html


def test_only_units_of_the_tree_are_accepted(tree: Tree, users: dict[str, User]) -> None:
    staff = users["evn_staff"]
    form = _form(staff, {"units": [str(tree.evn.pk), str(tree.evn_b.pk)]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["units"] == [tree.evn.pk, tree.evn_b.pk]
    assert not _form(staff, {"units": [str(tree.pvn.pk)]}).is_valid()
    assert not _form(staff, {"units": []}).is_valid()
