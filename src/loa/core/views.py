"""Views of the shell: home, health check, audit trail."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from loa import __version__
from loa.accounts import roles
from loa.accounts.decorators import capability_required
from loa.accounts.scoping import scope_of
from loa.core.dashboard import dashboard
from loa.core.filters import AuditFilterForm
from loa.core.selectors import audit_entries, audit_rows, home_summary

logger = logging.getLogger(__name__)

PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", home_summary(user=request.user))


# The big screen reloads itself this often (seconds): alerts and coverage arrive all day.
SCREEN_REFRESH = 120


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    """The dashboard for a monitoring room's wall screen: the same blocks, large, reloading."""
    context = {
        "board": dashboard(user=request.user),
        "scope_all": scope_of(request.user).all_units,
        "refresh": SCREEN_REFRESH,
    }
    return render(request, "core/screen.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("healthz: database unavailable: %s", exc)
        return JsonResponse({"status": "error", "database": "unavailable", "version": __version__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor, "version": __version__})


@capability_required(roles.READ_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, user=request.user)
    entries = audit_entries(user=request.user, filters=form.audit_filter() if form.is_bound else None)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "rows": audit_rows(page), "form": form, "extra_query": query.urlencode()}
    return render(request, "core/audit_log.html", context)
