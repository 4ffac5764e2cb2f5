"""A reusable chooser for several units: the unit tree with check boxes.

Units are listed in the order of the tree, indented by depth, each with a check box, so a form
that assigns work to units reads like the organisation chart instead of a four-row list that
needs Ctrl-click. Without JavaScript it is a plain list of check boxes; `units/unit_tree.js`
(a static file, as the content security policy allows no inline script) adds a filter box that
ignores diacritics ("dien luc" finds "Điện lực") and a button per branch that ticks the branch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms

from loa.accounts.scoping import Actor
from loa.text.folding import fold
from loa.units.selectors import TreeRow, unit_list, unit_tree

# Deeper units keep the indentation of this level (the stylesheet has a class per level).
MAX_INDENT = 6


@dataclass(frozen=True)
class TreeOption:
    value: int
    label: str
    level: int
    search: str  # the folded name and short name the filter box matches
    branch: tuple[int, ...]  # this unit and every unit below it in the list, for "tick the branch"


def tree_options(rows: Sequence[TreeRow]) -> list[TreeOption]:
    options = []
    for index, row in enumerate(rows):
        branch = [row.unit.pk]
        for below in rows[index + 1 :]:
            if below.level <= row.level:
                break
            branch.append(below.unit.pk)
        names = dict.fromkeys(fold(name) for name in (row.unit.name, row.unit.short_name, row.unit.symbol) if name)
        options.append(
            TreeOption(
                value=row.unit.pk,
                label=row.unit.name,
                level=row.level,
                search=" ".join(names),
                branch=tuple(branch),
            )
        )
    return options


class UnitTreeWidget(forms.CheckboxSelectMultiple):
    template_name = "units/widgets/unit_tree.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.tree: list[TreeOption] = []

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen = {str(item) for item in (value or [])}
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["tree"] = [
            {
                "option": option,
                "id": f"{widget_id}_{index}",
                "checked": str(option.value) in chosen,
                "indent": min(option.level, MAX_INDENT),
                "branch": " ".join(str(pk) for pk in option.branch),
                "has_branch": len(option.branch) > 1,
            }
            for index, option in enumerate(self.tree)
        ]
        context["widget"]["tree_id"] = widget_id
        return context

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        # The label of the field names the list as a whole (its filter box), not a first box.
        return f"{id_}_filter" if id_ else id_


class UnitTreeChoiceField(forms.TypedMultipleChoiceField):
    """Several units chosen in the tree; `set_tree` gives the rows the user may choose from."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("widget", UnitTreeWidget)
        super().__init__(**kwargs)

    def set_tree(self, rows: Iterable[TreeRow]) -> None:
        options = tree_options(list(rows))
        self.choices = [(option.value, option.label) for option in options]
        assert isinstance(self.widget, UnitTreeWidget)
        self.widget.tree = options


def unit_select_choices(field: forms.Field, *, user: Actor, empty: Any, include_inactive: bool = False) -> None:
    """A one-unit select box over the units in scope, in tree order and indented by depth,
    so a committee's units read under it."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = unit_list(user=user, include_inactive=include_inactive)
    rows = unit_tree(user=user, include_inactive=include_inactive)
    field.choices = [("", empty), *((row.unit.pk, "\u2003" * row.level + row.unit.name) for row in rows)]
