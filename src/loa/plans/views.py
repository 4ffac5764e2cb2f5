"""Plan pages: plans and their campaigns, outputs found by monitoring, award entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.scoping import user_can, writes_bloc_wide
from loa.articles.selectors import article_list
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
    form = PlanForm(request.POST or None, instance=plan)
    form.fields["unit"].queryset = unit_list(user=request.user)  # type: ignore[attr-defined]
    form.fields["directive"].queryset = directive_list(user=request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.plan_save(
                user=request.user, plan=Plan.objects.get(pk=plan.pk) if plan else None, data=form.plan_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("plans:detail", pk=saved.pk)
    return render(request, "analysis/form.html", {"form": form, "title": plan.title if plan else _("New plan")})


@login_required
def plan_create_view(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, roles.WRITE):
        raise PermissionDenied
    return _plan_form(request, None)


@login_required
def plan_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_form(request, _plan(request, pk, write=True))


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
    form = CampaignForm(request.POST or None, instance=campaign)
    form.fields["event"].queryset = event_list(user=request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.campaign_save(
                user=request.user,
                plan=plan,
                campaign=Campaign.objects.get(pk=campaign.pk) if campaign else None,
                data=form.campaign_data(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("plans:campaign", pk=saved.pk)
    title = campaign.title if campaign else _("New campaign")
    return render(request, "analysis/form.html", {"form": form, "title": title})


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
    form = EntryForm(request.POST or None, instance=entry, initial={"year": timezone.localdate().year})
    form.fields["unit"].queryset = unit_list(user=request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_save(
                user=request.user,
                entry=AwardEntry.objects.get(pk=entry.pk) if entry else None,
                data=form.entry_data(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Entry saved."))
            return redirect("plans:awards")
    return render(
        request, "analysis/form.html", {"form": form, "title": entry.title if entry else _("New award entry")}
    )


@login_required
def award_create_view(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, roles.WRITE):
        raise PermissionDenied
    return _entry_form(request, None)


@login_required
def award_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(selectors.entry_list(user=request.user), pk=pk)
    if not user_can(request.user, roles.WRITE, entry.unit):
        raise PermissionDenied
    return _entry_form(request, entry)


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
