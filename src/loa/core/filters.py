"""The change log's filter form: person, unit, module and days, with the reader's choices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.accounts.models import User
from loa.accounts.scoping import Actor
from loa.accounts.selectors import user_list
from loa.core.forms import DayField
from loa.core.selectors import AuditFilter, audit_modules
from loa.units.forms import unit_select_choices
from loa.units.models import Unit


class AccountChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name()} ({obj.username})"


class AuditFilterForm(forms.Form):
    actor = AccountChoiceField(label=_("Who"), queryset=User.objects.none(), required=False, empty_label=_("Everyone"))
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    module = forms.ChoiceField(label=_("Module"), required=False)
    date_from = DayField(label=_("From"), required=False)
    date_to = DayField(label=_("To"), required=False)

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = self.fields["actor"]
        assert isinstance(actor, AccountChoiceField)
        actor.queryset = user_list(user=user).order_by("full_name", "username")
        unit_select_choices(self.fields["unit"], user=user, empty=_("All units"), include_inactive=True)
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
