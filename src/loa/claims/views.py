"""Claims register pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from loa.claims import selectors
from loa.claims.models import ClaimStatus

PAGE_SIZE = 50


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
        },
    )
