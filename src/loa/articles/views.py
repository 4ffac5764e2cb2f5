"""Coverage pages: the latest articles, one article with its copies, and search."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from loa.analysis.forms import CorrectionForm, SuggestionForm
from loa.analysis.models import Salience, Sentiment
from loa.analysis.selectors import (
    article_correctable,
    article_suggestable,
    article_view,
    organisation_list,
    search_conditions,
    suggestion_open_list,
    topic_list,
)
from loa.articles import search
from loa.articles.selectors import article_copies, article_engagement, article_get, article_list, article_search
from loa.core.forms import DayField
from loa.sources.models import Channel
from loa.sources.selectors import outlet_list

PAGE_SIZE = 30


@login_required
def article_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(article_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"page": page})


@login_required
def article_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    article = article_get(user=request.user, pk=pk)
    if article is None:
        raise Http404

    view = article_view(user=request.user, article=article)
    correction = None
    # Those who may correct the labels do; other staff suggest to them.
    can_correct = view.analysis is not None and article_correctable(user=request.user, article=article)
    suggesting = (
        view.analysis is not None and not can_correct and article_suggestable(user=request.user, article=article)
    )
    if view.analysis is not None and (can_correct or suggesting):
        correction = (SuggestionForm if suggesting else CorrectionForm)(
            initial={"sentiment": view.analysis.sentiment, "topics": [link.topic_id for link in view.topics]}
        )
        topics_field = correction.fields["topics"]
        assert isinstance(topics_field, forms.TypedMultipleChoiceField)
        topics_field.choices = [(t.pk, t.name) for t in topic_list(user=request.user)]
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "copies": article_copies(article=article),
            "engagement": article_engagement(article=article),
            "view": view,
            "correction": correction,
            "suggesting": suggesting,
            "suggestions": suggestion_open_list(article=article) if can_correct else [],
            "tone_choices": Sentiment.choices,
            "salience_choices": Salience.choices,
        },
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=500)
    date_from = DayField(label=_("From"), required=False)
    date_to = DayField(label=_("To"), required=False)
    outlet = forms.TypedChoiceField(label=_("Outlet"), required=False, coerce=int, empty_value=None)
    channel = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", _("All sources")), *Channel.choices],
        widget=forms.Select(attrs={"aria-label": _("Source: press, social networks, forums, video")}),
    )
    organisation = forms.TypedChoiceField(label=_("Organisation"), required=False, coerce=int, empty_value=None)
    tone = forms.ChoiceField(label=_("Tone"), required=False)
    topic = forms.TypedChoiceField(label=_("Topic"), required=False, coerce=int, empty_value=None)
    order = forms.ChoiceField(
        label=_("Order"), required=False, choices=[("relevance", _("Relevance")), ("date", _("Newest first"))]
    )


@login_required
def search_view(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    outlets = list(outlet_list(user=request.user))

    choices: dict[str, list[tuple[object, object]]] = {
        "outlet": [("", _("All outlets")), *((o.pk, o.name) for o in outlets)],
        "organisation": [("", _("All organisations")), *((o.pk, str(o)) for o in organisation_list(user=request.user))],
        "tone": [("", _("Any tone")), *((value, str(label)) for value, label in Sentiment.choices)],
        "topic": [("", _("All topics")), *((t.pk, t.name) for t in topic_list(user=request.user))],
    }
    for name, values in choices.items():
        field = form.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = values
    results = None
    if form.is_valid():
        data = form.cleaned_data
        date_from: dt.date | None = data.get("date_from")
        date_to: dt.date | None = data.get("date_to")
        filters = search.Filters(
            date_from=date_from,
            date_to=date_to,
            outlet_ids=(data["outlet"],) if data.get("outlet") else (),
            channels=(data["channel"],) if data.get("channel") else (),
            conditions=search_conditions(
                organisation_ids=[data["organisation"]] if data.get("organisation") else [],
                sentiments=[data["tone"]] if data.get("tone") else [],
                topic_ids=[data["topic"]] if data.get("topic") else [],
            ),
        )
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            page = 1
        results = article_search(
            user=request.user,
            query=data.get("q") or "",
            filters=filters,
            order=data.get("order") or "relevance",
            page=page,
            size=20,
        )
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page"])
    return render(request, "articles/search.html", {"form": form, "results": results, "query": query})
