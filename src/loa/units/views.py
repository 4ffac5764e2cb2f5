"""Unit pages: the tree in scope and one unit with its history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.scoping import require, user_can
from loa.accounts.selectors import user_list
from loa.core.web import fail
from loa.units.selectors import unit_children, unit_list, unit_revisions, unit_staff_count, unit_tree
from loa.units.services import unit_set_author_may_review


@login_required
def unit_list_view(request: HttpRequest) -> HttpResponse:
    include_inactive = request.GET.get("all") == "1"
    rows = unit_tree(user=request.user, include_inactive=include_inactive)
    return render(request, "units/unit_list.html", {"rows": rows, "include_inactive": include_inactive})


@login_required
def unit_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(unit_list(user=request.user, include_inactive=True), pk=pk)
    context = {
        "unit": unit,
        "revisions": unit_revisions(unit=unit),
        "subunits": unit_children(user=request.user, unit=unit),
        "accounts": user_list(user=request.user, unit=unit),
        "staff_count": unit_staff_count(unit=unit),
        "administers": user_can(request.user, roles.ADMINISTER),
    }
    return render(request, "units/unit_detail.html", context)


@login_required
@require_POST
def author_may_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator allows (or no longer allows) the author of a statement to review it."""
    require(request.user, roles.ADMINISTER)
    unit = get_object_or_404(unit_list(user=request.user, include_inactive=True), pk=pk)
    allowed = request.POST.get("allowed") == "on"
    try:
        unit_set_author_may_review(user=request.user, unit=unit, allowed=allowed)
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("Setting saved."))
    return redirect("units:detail", pk=unit.pk)
