"""Study pages: plans with their sessions laid out by the planner, sessions with scheduling,
attendance and make-ups, completion per unit, and the audiences each unit declares."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.decorators import may_write
from loa.accounts.scoping import user_can
from loa.core.editing import create_and_edit_views, form_page, set_queryset, working_copy
from loa.core.forms import day_parse
from loa.core.web import fail, whole_number
from loa.directives.selectors import directive_list
from loa.people.models import PersonKind
from loa.people.selectors import person_list
from loa.study import selectors, services
from loa.study.forms import AudienceForm, PlanForm, ScheduleForm
from loa.study.models import AudienceGroup, Level, StudyPlan, StudySession
from loa.study.services import LEVEL_OF_KIND
from loa.units.selectors import unit_list, writable_unit_list


def _plan(request: HttpRequest, pk: int, *, write: bool = False) -> StudyPlan:
    plan = get_object_or_404(selectors.plan_list(user=request.user), pk=pk)
    if write and not user_can(request.user, roles.WRITE, plan.unit):
        raise PermissionDenied
    return plan


def _session(request: HttpRequest, pk: int, *, write: bool = False) -> StudySession:
    session = get_object_or_404(selectors.session_list(user=request.user), pk=pk)
    if write and not user_can(request.user, roles.WRITE, session.organiser):
        raise PermissionDenied
    return session


@login_required
def plan_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "study/plan_list.html",
        {"plans": selectors.plan_list(user=request.user), "can_add": user_can(request.user, roles.WRITE)},
    )


def _plan_form(request: HttpRequest, plan: StudyPlan | None) -> HttpResponse:
    form = PlanForm(request.POST or None, instance=working_copy(plan))
    organisers = writable_unit_list(user=request.user).filter(kind__in=list(LEVEL_OF_KIND))
    set_queryset(form.fields["unit"], organisers)
    set_queryset(form.fields["directive"], directive_list(user=request.user))
    return form_page(
        request,
        form,
        save=lambda: services.plan_save(user=request.user, plan=plan, data=form.plan_data()),
        done=lambda saved: redirect("study:detail", pk=saved.pk),
        message=_("Saved."),
        title=plan.title if plan else _("New study plan"),
        context={"cancel": reverse("study:detail", args=[plan.pk]) if plan else reverse("study:list")},
    )


plan_create_view, plan_edit_view = create_and_edit_views(
    _plan_form, load=lambda request, pk: _plan(request, pk, write=True), may_create=may_write
)


@login_required
def plan_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    rows = selectors.completion(user=request.user, plan=plan)
    expected = sum(row.expected for row in rows)
    attended = sum(row.attended for row in rows)
    groups, levels = dict(AudienceGroup.choices), dict(Level.choices)
    return render(
        request,
        "study/plan_detail.html",
        {
            "plan": plan,
            "rules": [(groups[group], levels[level]) for group, level in plan.rules.items()],
            "fallbacks": [
                (row["unit"], groups.get(row["group"], row["group"]), levels.get(row["level"], row["level"]))
                for row in plan.fallbacks
            ],
            "sessions": selectors.session_list(user=request.user, plan=plan),
            "completion": rows,
            "overall": round(100 * attended / expected) if expected else None,
            "writable": user_can(request.user, roles.WRITE, plan.unit),
            "groups": groups,
        },
    )


@login_required
@require_POST
def plan_generate_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, write=True)
    try:
        services.plan_generate(user=request.user, plan=plan)
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("Sessions laid out: every group of every unit in exactly one session."))
    return redirect("study:detail", pk=plan.pk)


def _schedule_form(request: HttpRequest, session: StudySession, data: QueryDict | None = None) -> ScheduleForm:
    form = ScheduleForm(
        data,
        initial={"scheduled_on": session.scheduled_on, "place": session.place, "speaker": session.speaker_id},
    )
    speakers = person_list(user=request.user, kind=PersonKind.SPEAKER).filter(active=True)
    set_queryset(form.fields["speaker"], speakers)
    return form


@login_required
def session_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    writable = user_can(request.user, roles.WRITE, session.organiser)
    return render(
        request,
        "study/session_detail.html",
        {
            "session": session,
            "attendees": selectors.attendee_list(user=request.user, session=session),
            "writable": writable,
            "schedule_form": _schedule_form(request, session) if writable else None,
            "held_default": f"{session.held_on or timezone.localdate():%d/%m/%Y}",
            "makeups": session.makeups.all(),
        },
    )


@login_required
@require_POST
def session_schedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, write=True)
    form = _schedule_form(request, session, request.POST)
    if form.is_valid():
        try:
            services.session_schedule(
                user=request.user,
                session=session,
                scheduled_on=form.cleaned_data["scheduled_on"],
                place=form.cleaned_data["place"],
                speaker=form.cleaned_data["speaker"],
            )
        except ValidationError as error:
            fail(request, error)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Check the date and the speaker."))
    return redirect("study:session", pk=session.pk)


@login_required
@require_POST
def attendance_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, write=True)
    try:
        held_on = day_parse(request.POST.get("held_on"), required=False)
    except ValidationError as error:
        fail(request, error)
        return redirect("study:session", pk=session.pk)
    if held_on is None:
        messages.error(request, _("Give the day the session was held."))
        return redirect("study:session", pk=session.pk)
    try:
        counts = {}
        for row in session.attendees.select_related("unit"):
            attended = whole_number(request.POST.get(f"attended_{row.unit_id}"))
            if attended is None:  # an empty box is not a zero: ask rather than record nobody
                raise ValidationError(_("Give how many of %(unit)s attended.") % {"unit": row.unit.short_name})
            counts[row.unit_id] = (attended, whole_number(request.POST.get(f"reports_{row.unit_id}")))
        services.attendance_record(user=request.user, session=session, held_on=held_on, counts=counts)
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("Attendance recorded."))
    return redirect("study:session", pk=session.pk)


@login_required
@require_POST
def makeup_view(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, write=True)
    try:
        makeup = services.makeup_create(user=request.user, session=session)
    except ValidationError as error:
        fail(request, error)
        return redirect("study:session", pk=session.pk)
    messages.success(request, _("Make-up session planned for those who missed it."))
    return redirect("study:session", pk=makeup.pk)


@login_required
def audience_list_view(request: HttpRequest) -> HttpResponse:
    counts: dict[int, dict[str, int]] = {}
    for audience in selectors.audience_list(user=request.user):
        counts.setdefault(audience.unit_id, {})[audience.group] = audience.headcount
    units = [unit for unit in unit_list(user=request.user) if unit.kind in LEVEL_OF_KIND]
    rows = [
        (
            unit,
            [counts.get(unit.pk, {}).get(group, 0) for group in AudienceGroup.values],
            user_can(request.user, roles.WRITE, unit),
        )
        for unit in units
    ]
    return render(request, "study/audience_list.html", {"rows": rows, "groups": AudienceGroup.labels})


@login_required
def audience_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(unit_list(user=request.user), pk=pk)
    if not user_can(request.user, roles.WRITE, unit):
        raise PermissionDenied
    counts = {row.group: row.headcount for row in selectors.audience_list(user=request.user).filter(unit=unit)}
    form = AudienceForm(request.POST or None, counts=counts)
    return form_page(
        request,
        form,
        save=lambda: services.audiences_save(user=request.user, unit=unit, headcounts=form.cleaned_data),
        done="study:audiences",
        message=_("Saved."),
        title=_("Audiences of %(unit)s") % {"unit": unit.name},
        context={"cancel": reverse("study:audiences")},
    )
