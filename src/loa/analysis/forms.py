"""Forms of the analysis pages (input checks; the services write)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.analysis.models import Sentiment


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=80)
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)
    aliases = forms.CharField(
        label=_("Names and aliases"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One per line; diacritics and case do not matter."),
    )
    acronyms = forms.CharField(
        label=_("Acronyms"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line, matched with exactly these capitals (EVN, PVN)."),
    )
    ambiguous_aliases = forms.CharField(
        label=_("Ambiguous names"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line; counted only when a context term appears in the article."),
    )
    context_terms = forms.CharField(label=_("Context terms"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    exclusion_terms = forms.CharField(
        label=_("Exclusion terms"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line; a mention in the same sentence as one of them is ignored."),
    )
    enabled = forms.BooleanField(label=_("Followed"), required=False, initial=True)


class SavedQueryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    query = forms.CharField(
        label=_("Query"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('AND/OR/NOT, "phrases", NEAR(a b, 5); diacritics optional.'),
    )
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    enabled = forms.BooleanField(label=_("Active"), required=False, initial=True)


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    rule = forms.CharField(
        label=_("Rule"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            'A query in the search syntax: AND/OR/NOT, "phrases", NEAR(a b, 5); diacritics optional. '
            "Articles matching it get this topic until staff have confirmed enough examples to learn from."
        ),
    )
    enabled = forms.BooleanField(label=_("In use"), required=False, initial=True)
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)


class CorrectionForm(forms.Form):
    sentiment = forms.ChoiceField(label=_("Tone"), choices=[("", "—"), *Sentiment.choices], required=False)
    topics = forms.TypedMultipleChoiceField(label=_("Topics"), coerce=int, required=False)
    set_topics = forms.BooleanField(required=False, widget=forms.HiddenInput, initial=True)
    # Set when staff correct the tone of one organisation in the article, not the article's.
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SuggestionForm(CorrectionForm):
    note = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        help_text=_("Why the labels should change; read by those who decide."),
    )


class SuggestionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
