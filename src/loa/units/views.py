"""Unit pages: the tree in scope and one unit with its history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from loa.accounts.selectors import user_list
from loa.units.selectors import unit_children, unit_list, unit_revisions, unit_tree


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
    }
    return render(request, "units/unit_detail.html", context)
