"""Analysis pages: monitored organisations, saved queries, stories, label corrections."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.models import User
from loa.accounts.scoping import user_can
from loa.analysis import selectors, services
from loa.analysis.forms import (
    CorrectionForm,
    OrganisationForm,
    SavedQueryForm,
    SuggestionDecisionForm,
    SuggestionForm,
    TopicForm,
    members_text,
)
from loa.analysis.models import Organisation, SavedQuery, Suggestion, Topic
from loa.articles import search
from loa.articles.selectors import article_get, article_search
from loa.core.editing import create_and_edit_views, form_page
from loa.pipeline.themes import MIN_POSITIVES
from loa.units.selectors import unit_list


def _unit_choices(request: HttpRequest, *, blank: bool) -> list[tuple[object, str]]:
    choices: list[tuple[object, str]] = [("", _("The whole bloc"))] if blank else []
    return choices + [(u.pk, u.name) for u in unit_list(user=request.user)]


@login_required
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    organisations = list(selectors.organisation_list_with_counts(user=request.user))
    return render(
        request,
        "analysis/organisation_list.html",
        {
            "organisations": organisations,
            "can_add": selectors.organisation_editable(user=request.user, organisation=None),
        },
    )


@login_required
def organisation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(selectors.organisation_list(user=request.user), pk=pk)
    coverage = selectors.organisation_coverage(organisation=organisation)
    # Drawn by loa/charts.js: negative articles and the others, stacked, every day on the axis.
    chart = {
        "type": "bar",
        "stacked": True,
        "labels": [f"{day:%d/%m}" for day, _n, _neg in coverage.by_day],
        "datasets": [
            {"label": _("Negative"), "colour": "#c62828", "data": [neg for _d, _n, neg in coverage.by_day]},
            {"label": _("Other tones"), "colour": "#0072B2", "data": [n - neg for _d, n, neg in coverage.by_day]},
        ],
    }
    return render(
        request,
        "analysis/organisation_detail.html",
        {
            "organisation": organisation,
            "coverage": coverage,
            "chart": chart,
            "can_edit": selectors.organisation_editable(user=request.user, organisation=organisation),
            "members": list(organisation.members.all()),
        },
    )


def _organisation_form(request: HttpRequest, organisation: Organisation | None) -> HttpResponse:
    # Anyone who writes may follow an organisation for a unit in scope (checked on save).
    allowed = (
        user_can(request.user, roles.WRITE)
        if organisation is None
        else selectors.organisation_editable(user=request.user, organisation=organisation)
    )
    if not allowed:
        raise PermissionDenied
    initial = {}
    if organisation is not None:
        initial = {
            "name": organisation.name,
            "short_name": organisation.short_name,
            "unit": organisation.unit_id,
            "aliases": organisation.aliases,
            "acronyms": organisation.acronyms,
            "ambiguous_aliases": organisation.ambiguous_aliases,
            "context_terms": organisation.context_terms,
            "exclusion_terms": organisation.exclusion_terms,
            "tickers": organisation.tickers,
            "blocked_phrases": organisation.blocked_phrases,
            "members": members_text(organisation.members.all()),
            "enabled": organisation.enabled,
        }
    form = OrganisationForm(request.POST or None, initial=initial)
    unit_field = form.fields["unit"]
    assert isinstance(unit_field, forms.TypedChoiceField)
    unit_field.choices = _unit_choices(request, blank=True)

    def save() -> Organisation:
        data = form.cleaned_data
        unit = (
            unit_list(user=request.user, include_inactive=True).filter(pk=data["unit"]).first()
            if data["unit"]
            else None
        )
        if not selectors.organisation_editable(user=request.user, organisation=Organisation(unit=unit)):
            raise ValidationError(_("You may not follow organisations for that unit."))
        return services.organisation_save(
            organisation=organisation,
            name=data["name"],
            short_name=data["short_name"],
            unit=unit,
            aliases=data["aliases"],
            acronyms=data["acronyms"],
            ambiguous_aliases=data["ambiguous_aliases"],
            context_terms=data["context_terms"],
            exclusion_terms=data["exclusion_terms"],
            tickers=data["tickers"],
            blocked_phrases=data["blocked_phrases"],
            members=data["members"],
            enabled=data["enabled"],
        )

    return form_page(
        request,
        form,
        save=save,
        done=lambda saved: redirect("analysis:organisation", pk=saved.pk),
        message=_("Saved. New articles are matched at once; run `loa reanalyze` for older ones."),
        title=_("Monitored organisation"),
    )


organisation_create_view, organisation_edit_view = create_and_edit_views(
    _organisation_form,
    load=lambda request, pk: get_object_or_404(selectors.organisation_list(user=request.user), pk=pk),
)


@login_required
def saved_query_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "analysis/query_list.html",
        {"queries": selectors.saved_query_list(user=request.user), "can_add": user_can(request.user, roles.WRITE)},
    )


@login_required
def saved_query_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(selectors.saved_query_list(user=request.user), pk=pk)
    filters = search.Filters(conditions=selectors.search_conditions(query_ids=[saved.pk]))
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    results = article_search(user=request.user, query=saved.query, filters=filters, order="date", page=page)
    return render(
        request,
        "analysis/query_detail.html",
        {"saved": saved, "results": results, "can_edit": user_can(request.user, roles.WRITE, saved.unit)},
    )


def _query_form(request: HttpRequest, saved: SavedQuery | None) -> HttpResponse:
    if not user_can(request.user, roles.WRITE, saved.unit if saved else None):
        raise PermissionDenied
    initial = (
        {"name": saved.name, "query": saved.query, "unit": saved.unit_id, "enabled": saved.enabled} if saved else {}
    )
    form = SavedQueryForm(request.POST or None, initial=initial)
    unit_field = form.fields["unit"]
    assert isinstance(unit_field, forms.TypedChoiceField)
    unit_field.choices = _unit_choices(request, blank=False)

    def save() -> SavedQuery:
        data = form.cleaned_data
        unit = get_object_or_404(unit_list(user=request.user), pk=data["unit"])
        user = request.user if isinstance(request.user, User) else None
        return services.saved_query_save(
            saved=saved, name=data["name"], query=data["query"], unit=unit, user=user, enabled=data["enabled"]
        )

    return form_page(
        request,
        form,
        save=save,
        done=lambda result: redirect("analysis:query", pk=result.pk),
        message=_("Saved. New articles are matched at once; run `loa reanalyze` for older ones."),
        title=_("Saved query"),
        error_field="query",
    )


saved_query_create_view, saved_query_edit_view = create_and_edit_views(
    _query_form, load=lambda request, pk: get_object_or_404(selectors.saved_query_list(user=request.user), pk=pk)
)


@login_required
def topic_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "analysis/topic_list.html",
        {
            "topics": selectors.topic_taxonomy(user=request.user),
            "can_edit": selectors.topic_editable(user=request.user),
            "min_positives": MIN_POSITIVES,
        },
    )


def _topic_form(request: HttpRequest, topic: Topic | None) -> HttpResponse:
    if not selectors.topic_editable(user=request.user):
        raise PermissionDenied
    initial: dict[str, object] = {}
    if topic is not None:
        initial = {"name": topic.name, "rule": topic.rule, "enabled": topic.enabled, "sort_order": topic.sort_order}
    form = TopicForm(request.POST or None, initial=initial)

    def save() -> Topic:
        data = form.cleaned_data
        user = request.user if isinstance(request.user, User) else None
        return services.topic_save(
            actor=user,
            topic=topic,
            data=services.TopicInput(
                name=data["name"], rule=data["rule"], enabled=data["enabled"], sort_order=data["sort_order"]
            ),
        )

    return form_page(
        request,
        form,
        save=save,
        done=lambda _saved: redirect("analysis:topics"),
        message=_("Saved. New articles get the topic at once; run `loa reanalyze` for older ones."),
        title=_("Topic"),
        error_field="rule",
        context={"testid": "topic-form", "cancel": reverse("analysis:topics")},
    )


topic_create_view, topic_edit_view = create_and_edit_views(
    _topic_form,
    load=lambda request, pk: get_object_or_404(selectors.topic_taxonomy(user=request.user), pk=pk),
    may_create=lambda request: selectors.topic_editable(user=request.user),
)


@login_required
def story_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "analysis/story_list.html", {"rows": selectors.story_list(user=request.user)})


@login_required
def story_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    story = selectors.story_get(user=request.user, pk=pk)
    if story is None:
        raise Http404
    page = Paginator(selectors.story_articles(story=story), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "analysis/story_detail.html",
        {"story": story, "view": selectors.story_view(story=story), "page": page},
    )


def _labels_form(request: HttpRequest, form_class: type[CorrectionForm]) -> CorrectionForm:
    form = form_class(request.POST)
    topics_field = form.fields["topics"]
    assert isinstance(topics_field, forms.TypedMultipleChoiceField)
    topics_field.choices = [(t.pk, t.name) for t in selectors.topic_list(user=request.user)]
    return form


def _labels(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The labels a correction or suggestion form says, as the services take them."""
    organisation = None
    if data["organisation"]:
        organisation = get_object_or_404(selectors.organisation_list(user=request.user), pk=data["organisation"])
    return {
        "sentiment": data["sentiment"] or None,
        "topic_ids": data["topics"] if data["set_topics"] and organisation is None else None,
        "organisation": organisation,
    }


@require_POST
@login_required
def correction_view(request: HttpRequest, pk: int) -> HttpResponse:
    article = article_get(user=request.user, pk=pk)
    if article is None:
        raise Http404
    if not selectors.article_correctable(user=request.user, article=article):
        raise PermissionDenied
    form = _labels_form(request, CorrectionForm)
    if form.is_valid():
        user = request.user if isinstance(request.user, User) else None
        labels = _labels(request, form.cleaned_data)
        if labels["organisation"] is not None:
            labels["salience"] = form.cleaned_data["salience"] or None
        try:
            services.correction_record(article=article, user=user, **labels)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("Labels corrected; they will teach the next training."))
    else:
        messages.error(request, _("The correction could not be read."))
    return redirect("articles:detail", pk=article.pk)


@require_POST
@login_required
def suggestion_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not user_can(request.user, roles.WRITE):
        raise PermissionDenied
    article = article_get(user=request.user, pk=pk)
    if article is None:
        raise Http404
    assert isinstance(request.user, User)
    form = _labels_form(request, SuggestionForm)
    if form.is_valid():
        try:
            services.suggestion_submit(
                actor=request.user,
                article=article,
                note=form.cleaned_data["note"],
                **_labels(request, form.cleaned_data),
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(request, _("Suggestion sent to the staff who may correct this article."))
    else:
        messages.error(request, _("The suggestion could not be read."))
    return redirect("articles:detail", pk=article.pk)


@require_POST
@login_required
def suggestion_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    # Readers are refused before the lookup, so a suggestion's existence is told to staff only.
    if not user_can(request.user, roles.WRITE):
        raise PermissionDenied
    suggestion = get_object_or_404(Suggestion, pk=pk)
    article = article_get(user=request.user, pk=suggestion.article_id)
    if article is None:
        raise Http404
    if not selectors.article_correctable(user=request.user, article=article):
        raise PermissionDenied
    assert isinstance(request.user, User)
    form = SuggestionDecisionForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.suggestion_decide(actor=request.user, suggestion=suggestion, accept=accept)
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            messages.success(
                request, _("Suggestion accepted; the labels are corrected.") if accept else _("Suggestion rejected.")
            )
    else:
        messages.error(request, _("The decision could not be read."))
    return redirect("articles:detail", pk=article.pk)
