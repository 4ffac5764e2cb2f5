"""Plan pages: plans and their campaigns, outputs found by monitoring, award entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.decorators import may_write
from loa.accounts.scoping import user_can, writes_bloc_wide
from loa.articles.selectors import article_list
from loa.core.editing import create_and_edit_views, form_page, set_queryset, working_copy
from loa.directives.selectors import directive_list
from loa.events.selectors import event_list
from loa.plans import selectors, services
from loa.plans.forms import CampaignForm, EntryForm, PlanForm, ReviewForm
from loa.plans.models import AwardEntry, Campaign, CampaignOutput, Plan
from loa.units.selectors import unit_list


def _plan(request: HttpRequest, pk: int, *, write: bool = False) -> Plan:
    plan = get_object_or_404(selectors.plan_list(user=request.user), pk=pk)
    if write and not user_can(request.user, roles.WRITE, plan.unit):
        raise PermissionDenied
    return plan


def _campaign(request: HttpRequest, pk: int, *, write: bool = False) -> Campaign:
    campaign = get_object_or_404(selectors.campaign_list(user=request.user), pk=pk)
    if write and not user_can(request.user, roles.WRITE, campaign.plan.unit):
        raise PermissionDenied
    return campaign


@login_required
def plan_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "plans/plan_list.html",
        {
            "plans": selectors.plan_list(user=request.user),
            "campaigns": selectors.campaign_list(user=request.user).filter(end__gte=timezone.localdate())[:20],
            "can_add": user_can(request.user, roles.WRITE),
        },
    )


def _plan_form(request: HttpRequest, plan: Plan | None) -> HttpResponse:
    form = PlanForm(request.POST or None, instance=working_copy(plan))
    set_queryset(form.fields["unit"], unit_list(user=request.user))
    set_queryset(form.fields["directive"], directive_list(user=request.user))
    return form_page(
        request,
        form,
        save=lambda: services.plan_save(user=request.user, plan=plan, data=form.plan_data()),
        done=lambda saved: redirect("plans:detail", pk=saved.pk),
        message=_("Plan saved."),
        title=plan.title if plan else _("New plan"),
        context={"cancel": reverse("plans:detail", args=[plan.pk]) if plan else reverse("plans:list")},
    )


plan_create_view, plan_edit_view = create_and_edit_views(
    _plan_form, load=lambda request, pk: _plan(request, pk, write=True), may_create=may_write
)


@login_required
def plan_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "campaigns": selectors.campaign_list(user=request.user).filter(plan=plan),
            "writable": user_can(request.user, roles.WRITE, plan.unit),
        },
    )


def _campaign_form(request: HttpRequest, plan: Plan, campaign: Campaign | None) -> HttpResponse:
    form = CampaignForm(request.POST or None, instance=working_copy(campaign))
    set_queryset(form.fields["event"], event_list(user=request.user))
    return form_page(
        request,
        form,
        save=lambda: services.campaign_save(user=request.user, plan=plan, campaign=campaign, data=form.campaign_data()),
        done=lambda saved: redirect("plans:campaign", pk=saved.pk),
        message=_("Campaign saved."),
        title=campaign.title if campaign else _("New campaign"),
        context={
            "cancel": reverse("plans:campaign", args=[campaign.pk])
            if campaign
            else reverse("plans:detail", args=[plan.pk])
        },
    )


@login_required
def campaign_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _campaign_form(request, _plan(request, pk, write=True), None)


@login_required
def campaign_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, write=True)
    return _campaign_form(request, campaign.plan, campaign)


@login_required
def campaign_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    writable = user_can(request.user, roles.WRITE, campaign.plan.unit)
    return render(
        request,
        "plans/campaign_detail.html",
        {
            "campaign": campaign,
            "outputs": campaign.outputs.select_related("article__outlet").order_by("article__published_at"),
            "candidates": selectors.campaign_candidates(campaign=campaign) if writable else [],
            "writable": writable,
        },
    )


@login_required
@require_POST
def output_view(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk, write=True)
    article = get_object_or_404(article_list(user=request.user), pk=request.POST.get("article") or 0)
    if request.POST.get("remove"):
        output = get_object_or_404(CampaignOutput, campaign=campaign, article=article)
        services.output_remove(user=request.user, output=output)
    else:
        services.output_add(user=request.user, campaign=campaign, article=article)
    return redirect("plans:campaign", pk=campaign.pk)


@login_required
def award_list_view(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    entries = selectors.entry_list(user=request.user, year=int(year) if year.isdigit() else None)
    reviews = writes_bloc_wide(request.user)
    return render(
        request,
        "plans/award_list.html",
        {
            "entries": entries,
            "year": year,
            "can_add": user_can(request.user, roles.WRITE),
            "reviews": reviews,
            "review_form": ReviewForm(),
        },
    )


def _entry_form(request: HttpRequest, entry: AwardEntry | None) -> HttpResponse:
    form = EntryForm(request.POST or None, instance=working_copy(entry), initial={"year": timezone.localdate().year})
    set_queryset(form.fields["unit"], unit_list(user=request.user))
    return form_page(
        request,
        form,
        save=lambda: services.entry_save(user=request.user, entry=entry, data=form.entry_data()),
        done="plans:awards",
        message=_("Entry saved."),
        title=entry.title if entry else _("New award entry"),
        context={"cancel": reverse("plans:awards")},
    )


def _entry_editable(request: HttpRequest, pk: int) -> AwardEntry:
    entry = get_object_or_404(selectors.entry_list(user=request.user), pk=pk)
    if not user_can(request.user, roles.WRITE, entry.unit):
        raise PermissionDenied
    return entry


award_create_view, award_edit_view = create_and_edit_views(_entry_form, load=_entry_editable, may_create=may_write)


@login_required
@require_POST
def award_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not (writes_bloc_wide(request.user)):
        raise PermissionDenied
    entry = get_object_or_404(selectors.entry_list(user=request.user), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("plans:awards")
    try:
        services.entry_review(
            user=request.user, entry=entry, status=form.cleaned_data["status"], prize=form.cleaned_data["prize"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("plans:awards")
