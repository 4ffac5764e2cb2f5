"""Claims register pages: the list, registering and editing a claim, its page with the matches
to check and its coverage."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.scoping import user_can
from loa.analysis.selectors import organisation_list, saved_query_list
from loa.claims import selectors, services
from loa.claims.forms import ClaimForm, ExampleForm
from loa.claims.models import Claim, ClaimMatch, ClaimStatus
from loa.core.editing import form_page
from loa.core.web import fail, set_choices
from loa.units.selectors import unit_list

PAGE_SIZE = 50


def _claim(request: HttpRequest, pk: int) -> Claim:
    claim = selectors.claim_get(user=request.user, pk=pk)
    if claim is None:
        raise Http404
    return claim


@login_required
def claim_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    claims = selectors.claim_list(user=request.user, status=status if status in ClaimStatus.values else None)
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/claim_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [("", _("All")), *ClaimStatus.choices],
            "extra_query": f"status={status}",
            "can_add": user_can(request.user, roles.WRITE),
        },
    )


def _claim_form(request: HttpRequest, claim: Claim | None) -> HttpResponse:
    if not user_can(request.user, roles.WRITE, claim.unit if claim else None):
        raise PermissionDenied
    initial: dict[str, object] = {}
    if claim is not None:
        initial = {
            "unit": claim.unit_id,
            "title": claim.title,
            "statement": claim.statement,
            "why_false": claim.why_false,
            "organisations": [o.pk for o in claim.organisations.all()],
            "saved_query": claim.saved_query_id,
            "first_seen": timezone.localtime(claim.first_seen_at).date() if claim.first_seen_at else None,
            "status": claim.status,
            "dormant_after_days": claim.dormant_after_days,
        }
    form = ClaimForm(request.POST or None, initial=initial)
    units = list(unit_list(user=request.user))
    set_choices(form.fields["unit"], [(u.pk, u.name) for u in units])
    organisations = list(organisation_list(user=request.user).filter(enabled=True))
    set_choices(form.fields["organisations"], [(o.pk, o.short_name) for o in organisations])
    queries = list(saved_query_list(user=request.user))
    set_choices(form.fields["saved_query"], [("", "—"), *((q.pk, q.name) for q in queries)])

    def save() -> Claim:
        data = form.cleaned_data
        unit = next((u for u in units if u.pk == data["unit"]), None)
        if unit is None:
            raise ValidationError(_("Choose a unit."))
        first_seen: dt.date | None = data["first_seen"]
        return services.claim_save(
            user=request.user,
            claim=claim,
            data=services.ClaimInput(
                unit=unit,
                title=data["title"],
                statement=data["statement"],
                why_false=data["why_false"],
                organisations=[o for o in organisations if o.pk in set(data["organisations"])],
                saved_query=next((q for q in queries if q.pk == data["saved_query"]), None),
                query=data["query"],
                status=data["status"],
                first_seen_at=(
                    dt.datetime.combine(first_seen, dt.time.min, tzinfo=timezone.get_current_timezone())
                    if first_seen
                    else None
                ),
                dormant_after_days=data["dormant_after_days"],
                examples=services.split_examples(data["examples"]),
            ),
        )

    return form_page(
        request,
        form,
        save=save,
        done=lambda saved: redirect("claims:detail", pk=saved.pk),
        title=_("Register a claim") if claim is None else _("Edit the claim"),
        message=_("Claim saved."),
    )


@login_required
def claim_create_view(request: HttpRequest) -> HttpResponse:
    return _claim_form(request, None)


@login_required
def claim_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _claim_form(request, _claim(request, pk))


@login_required
def claim_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "view": selectors.claim_view(claim=claim),
            "can_write": user_can(request.user, roles.WRITE, claim.unit),
            "example_form": ExampleForm(),
        },
    )


@login_required
@require_POST
def claim_example_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    if not user_can(request.user, roles.WRITE, claim.unit):
        raise PermissionDenied
    form = ExampleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("An example needs a text."))
        services.claim_example_add(user=request.user, claim=claim, text=form.cleaned_data["text"])
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        messages.success(request, _("Example added."))
    return redirect("claims:detail", pk=claim.pk)


@login_required
@require_POST
def claim_match_decide_view(request: HttpRequest, pk: int, match_pk: int) -> HttpResponse:
    claim = _claim(request, pk)
    if not user_can(request.user, roles.WRITE, claim.unit):
        raise PermissionDenied
    match = get_object_or_404(ClaimMatch.objects.select_related("claim__unit", "article"), pk=match_pk, claim=claim)
    decision = request.POST.get("decision")
    if decision not in ("confirm", "reject"):
        messages.error(request, _("Confirm or reject the match."))
        return redirect("claims:detail", pk=claim.pk)
    try:
        services.claim_match_decide(user=request.user, match=match, confirm=decision == "confirm")
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        messages.success(request, _("Match confirmed.") if decision == "confirm" else _("Match rejected."))
    return redirect("claims:detail", pk=claim.pk)
