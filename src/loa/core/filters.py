"""The change log's filter form: person, unit, module and days, with the reader's choices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.accounts.models import User
from loa.accounts.selectors import user_list
from loa.core.forms import DayField
from loa.core.selectors import AuditFilter, audit_modules
from loa.units.models import Unit
from loa.units.selectors import unit_list, unit_tree


class AuditFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    module = forms.ChoiceField(label=_("Module"), required=False)
    date_from = DayField(label=_("From"), required=False)
    date_to = DayField(label=_("To"), required=False)

    def __init__(self, *args: Any, user: object, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = self.fields["actor"]
        assert isinstance(actor, forms.ModelChoiceField)
        actor.queryset = user_list(user=user).order_by("full_name", "username")
        actor.label_from_instance = lambda account: f"{account.get_full_name()} ({account.username})"
        # Units in tree order, indented by depth, so a committee's units read under it.
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = unit_list(user=user, include_inactive=True)
        rows = unit_tree(user=user, include_inactive=True)
        unit.choices = [("", _("All units")), *((row.unit.pk, "\u2003" * row.level + row.unit.name) for row in rows)]
        module = self.fields["module"]
        assert isinstance(module, forms.ChoiceField)
        module.choices = [("", _("All modules")), *audit_modules()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def audit_filter(self) -> AuditFilter:
        """The filter the form describes; an invalid form filters nothing it could not read."""
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilter(
            actor=data.get("actor"),
            unit=data.get("unit"),
            module=data.get("module") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
