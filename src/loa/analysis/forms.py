"""Forms of the analysis pages (input checks; the services write)."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from loa.analysis.models import MemberCompany, Salience, Sentiment
from loa.analysis.services import MemberData


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
    tickers = forms.CharField(
        label=_("Stock tickers"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One per line, in capitals (VCB); read as the company only in a stock context."),
    )
    blocked_phrases = forms.CharField(
        label=_("Look-alike phrases"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "One per line: longer phrases that contain a name but mean something else "
            "(Cục Hàng không Việt Nam, ngành điện ảnh)."
        ),
    )
    members = forms.CharField(
        label=_("Member companies"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "One company per line: name | aliases | acronyms | tickers, several in a column separated "
            "by commas, empty columns allowed. For example: Tổng công ty Khí Việt Nam | PV GAS, PVGas | | GAS. "
            "Their coverage counts for this organisation; delete a line to stop following a company."
        ),
    )
    enabled = forms.BooleanField(label=_("Followed"), required=False, initial=True)

    def clean_members(self) -> list[MemberData]:
        members, errors = [], []
        for number, line in enumerate(str(self.cleaned_data.get("members", "")).splitlines(), start=1):
            if not line.strip():
                continue
            columns = [column.strip() for column in line.split("|")]
            if len(columns) > len(MEMBER_COLUMNS):
                errors.append(
                    _("Line %(number)s has more than four columns (name | aliases | acronyms | tickers).")
                    % {"number": number}
                )
                continue
            columns += [""] * (len(MEMBER_COLUMNS) - len(columns))
            if not columns[0]:
                errors.append(_("Line %(number)s has no company name before the first “|”.") % {"number": number})
                continue
            aliases, acronyms, tickers = (
                tuple(part.strip() for part in column.split(",") if part.strip()) for column in columns[1:]
            )
            members.append(MemberData(name=columns[0], aliases=aliases, acronyms=acronyms, tickers=tickers))
        if errors:
            raise forms.ValidationError(errors)
        return members


MEMBER_COLUMNS = ("name", "aliases", "acronyms", "tickers")


def members_text(members: Iterable[MemberCompany]) -> str:
    """The member companies as the form's lines (what `OrganisationForm.clean_members` reads)."""
    lines = []
    for member in members:
        columns = [member.name, ", ".join(member.alias_list()), ", ".join(member.acronym_list())]
        columns.append(", ".join(member.ticker_list()))
        lines.append(" | ".join(columns).rstrip(" |"))
    return "\n".join(lines)


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
    # With an organisation: how much the article is about it.
    salience = forms.ChoiceField(label=_("Salience"), choices=[("", "—"), *Salience.choices], required=False)


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
