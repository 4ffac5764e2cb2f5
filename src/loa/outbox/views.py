"""The outbox page: what Loa sent and what failed, with a retry for failed messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.scoping import user_can
from loa.outbox import kinds, selectors, services
from loa.outbox.models import MessageStatus

PAGE_SIZE = 50


@login_required
def message_list_view(request: HttpRequest) -> HttpResponse:
    # Recipients' addresses are personal data: the staff who write for a unit read them.
    if not user_can(request.user, roles.WRITE):
        raise PermissionDenied
    status = request.GET.get("status", "all")
    found = selectors.message_list(user=request.user, status=status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (message, kinds.label_of(message.kind), selectors.message_retryable(user=request.user, message=message))
        for message in page
    ]
    return render(
        request,
        "outbox/message_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": MessageStatus.choices,
            "extra_query": f"status={status}",
        },
    )


@login_required
@require_POST
def message_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(selectors.message_list(user=request.user), pk=pk)
    if not user_can(request.user, roles.WRITE, message.unit):
        raise PermissionDenied
    if services.message_retry(message=message):
        messages.success(request, _("The message is queued to be sent again."))
    return redirect("outbox:list")
