"""Calendar pages: the month with lunar dates, the agenda, the iCalendar feed, event forms, and
the secret subscription address that serves the feed without a log-in."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.decorators import may_write
from loa.accounts.scoping import user_can
from loa.core.editing import create_and_edit_views, form_page, set_queryset, working_copy
from loa.events import documents, selectors, services
from loa.events.forms import EventForm
from loa.events.models import Event
from loa.units.selectors import unit_list

AGENDA_DAYS = 90


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    return number if low <= number <= high else default


@login_required
def month_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year, 1900, 2199)
    month = _int(request.GET.get("month"), today.month, 1, 12)
    first = dt.date(year, month, 1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "events/month.html",
        {
            "grid": selectors.month_grid(user=request.user, year=year, month=month),
            "first": first,
            "previous": previous,
            "following": following,
            "today": today,
            "can_add": user_can(request.user, roles.WRITE),
        },
    )


@login_required
def agenda_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    found = selectors.occurrences(user=request.user, start=today, end=today + dt.timedelta(days=AGENDA_DAYS))
    return render(request, "events/agenda.html", {"occurrences": found, "today": today, "days": AGENDA_DAYS})


@login_required
def ical_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    first = _int(request.GET.get("from"), today.year, 1900, 2199)
    last = _int(request.GET.get("to"), first + 1, first, first + 5)
    found = selectors.occurrences(user=request.user, start=dt.date(first, 1, 1), end=dt.date(last, 12, 31))
    response = HttpResponse(
        documents.ical(found, name="Loa – Lịch sự kiện"), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="loa-{first}-{last}.ics"'
    return response


def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar of the user whose secret address this is, as a calendar client fetches it:
    no log-in, no session; the same events the user sees on the calendar page."""
    user = selectors.calendar_feed_user(token=token[:100])
    if user is None:
        raise Http404
    start, end = selectors.feed_window(timezone.localdate())
    found = selectors.occurrences(user=user, start=start, end=end)
    services.calendar_feed_touch(user=user)
    response = HttpResponse(
        documents.ical(found, name="Loa – Lịch sự kiện"), content_type="text/calendar; charset=utf-8"
    )
    patch_cache_control(response, private=True, max_age=900)
    return response


@login_required
def subscription_view(request: HttpRequest) -> HttpResponse:
    """Make, remake or revoke one's secret calendar address. The address is shown only in the
    answer to making it: the database keeps its hash alone."""
    address = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue":
            token = services.calendar_feed_issue(user=request.user)
            address = request.build_absolute_uri(reverse("events:feed", args=[token]))
        elif action == "revoke":
            if services.calendar_feed_revoke(user=request.user):
                messages.success(
                    request, _("The calendar address was revoked; calendars subscribed to it stop updating.")
                )
            return redirect("events:subscription")
        else:
            return HttpResponseBadRequest()
    return render(
        request,
        "events/subscription.html",
        {"feed": selectors.calendar_feed_get(user=request.user), "address": address},
    )


def _form(request: HttpRequest, event: Event | None) -> HttpResponse:
    form = EventForm(request.POST or None, instance=working_copy(event))
    set_queryset(form.fields["unit"], unit_list(user=request.user))
    return form_page(
        request,
        form,
        save=lambda: services.event_save(user=request.user, event=event, data=form.event_data()),
        done=lambda saved: redirect(_month_url(saved)),
        message=_("Event saved."),
        title=event.title if event else _("New event"),
        context={"cancel": _month_url(event) if event else reverse("events:month")},
    )


def _month_url(event: Event) -> str:
    today = timezone.localdate()
    return reverse("events:month") + f"?year={event.year or today.year}&month={event.month}"


def _event_editable(request: HttpRequest, pk: int) -> Event:
    event = get_object_or_404(selectors.event_list(user=request.user), pk=pk)
    if not (user_can(request.user, roles.WRITE, event.unit) if event.unit else user_can(request.user, roles.WRITE)):
        raise PermissionDenied
    return event


event_create_view, event_edit_view = create_and_edit_views(_form, load=_event_editable, may_create=may_write)
