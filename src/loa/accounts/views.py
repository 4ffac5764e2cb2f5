"""Account pages: who works in Loa within the reader's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from loa.accounts.selectors import user_list

PAGE_SIZE = 50


@login_required
def account_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(user_list(user=request.user).order_by("username"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/account_list.html", {"page": page})


@login_required
def account_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(user_list(user=request.user), pk=pk)
    return render(request, "accounts/account_detail.html", {"account": account})
