"""The alert rule form (input checks; `rule_save` writes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.accounts.scoping import Actor
from loa.alerts.models import AlertRule, RuleKind
from loa.analysis.selectors import organisation_list, saved_query_list
from loa.units.selectors import unit_list


class RuleForm(forms.ModelForm[AlertRule]):
    webhook_url = forms.URLField(
        label=_("webhook"),
        required=False,
        assume_scheme="https",
        help_text=_("Receives a signed JSON message (header X-Loa-Signature: HMAC-SHA256 of the body)."),
    )

    class Meta:
        model = AlertRule
        fields = [
            "name",
            "unit",
            "organisation",
            "saved_query",
            "kind",
            "min_salience",
            "every_match",
            "severity",
            "max_tier",
            "min_prominence",
            "window",
            "sigma",
            "min_count",
            "story_hours",
            "story_min_articles",
            "story_negative_share",
            "min_interactions_per_hour",
            "emails",
            "webhook_url",
            "suppression_minutes",
            "escalate_after_minutes",
            "escalation_emails",
            "enabled",
        ]
        widgets = {
            "emails": forms.Textarea(attrs={"rows": 3}),
            "escalation_emails": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "max_tier": _(
                "1: national outlets only; 2: also regional; 3: every outlet. "
                "From social networks to the press: the press outlets that count as reached."
            ),
            "min_prominence": _("0 to 1: how central the organisation is in the article (1: in the title)."),
            "sigma": _("A spike is above the mean of the earlier windows plus k standard deviations."),
            "story_negative_share": _("0 to 1, e.g. 0.5 for half of the story's recent articles."),
        }

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        organisation = self.fields["organisation"]
        saved_query = self.fields["saved_query"]
        assert isinstance(unit, forms.ModelChoiceField)
        assert isinstance(organisation, forms.ModelChoiceField)
        assert isinstance(saved_query, forms.ModelChoiceField)
        unit.queryset = unit_list(user=user)
        organisation.queryset = organisation_list(user=user).filter(enabled=True)
        saved_query.queryset = saved_query_list(user=user).filter(enabled=True)
        # A claim's return rule is made by the claims register with its claim, not here.
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        if self.instance.kind != RuleKind.CLAIM_RETURN:
            kind.choices = [c for c in list(kind.widget.choices) if c[0] != RuleKind.CLAIM_RETURN]
        # Only the engagement rule reads it: other rules' forms (and older clients) may leave it out.
        self.fields["min_interactions_per_hour"].required = False

    def clean_min_interactions_per_hour(self) -> int:
        value = self.cleaned_data.get("min_interactions_per_hour")
        default = AlertRule._meta.get_field("min_interactions_per_hour").default
        return int(value) if value is not None else int(default)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("every_match") and data.get("organisation"):
            self.add_error("every_match", _("Only a saved-query rule may take every matching article."))
        for field in ("min_prominence", "story_negative_share"):
            value = data.get(field)
            if value is not None and not 0 <= value <= 1:
                self.add_error(field, _("Between 0 and 1."))
        return data


class OpenIncidentForm(forms.Form):
    playbook = forms.TypedChoiceField(label=_("Playbook"), coerce=int, required=False, empty_value=None)
    severity = forms.ChoiceField(label=_("Severity"))
