"""Roster and training pages. Looking at a person is logged (auditlog ACCESS), so that who saw
whose data can be answered."""

from __future__ import annotations

import json

from auditlog.signals import accessed
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
from loa.core.web import fail
from loa.people import selectors, services
from loa.people.forms import CourseForm, EnrolForm, PersonFilterForm, PersonForm
from loa.people.models import Course, Person
from loa.units.selectors import writable_unit_list


def _person(request: HttpRequest, pk: int, *, write: bool = False) -> Person:
    person = get_object_or_404(selectors.person_list(user=request.user, include_erased=True), pk=pk)
    if write and not user_can(request.user, roles.WRITE, person.unit):
        raise PermissionDenied
    return person


def _course(request: HttpRequest, pk: int, *, write: bool = False) -> Course:
    course = get_object_or_404(selectors.course_list(user=request.user), pk=pk)
    if write and not user_can(request.user, roles.WRITE, course.unit):
        raise PermissionDenied
    return course


@login_required
def person_list_view(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    kind = query = ""
    if form.is_valid():
        kind, query = form.cleaned_data["kind"], form.cleaned_data["q"]
    return render(
        request,
        "people/person_list.html",
        {
            "form": form,
            "people": selectors.person_list(user=request.user, kind=kind, query=query)[:500],
            "can_add": user_can(request.user, roles.WRITE),
        },
    )


def _person_form(request: HttpRequest, person: Person | None) -> HttpResponse:
    form = PersonForm(request.POST or None, instance=working_copy(person))
    set_queryset(form.fields["unit"], writable_unit_list(user=request.user))
    return form_page(
        request,
        form,
        save=lambda: services.person_save(user=request.user, person=person, data=form.person_data()),
        done=lambda saved: redirect("people:detail", pk=saved.pk),
        message=_("Saved."),
        title=person.full_name if person else _("New person on the roster"),
        context={"cancel": reverse("people:detail", args=[person.pk]) if person else reverse("people:list")},
    )


def _person_editable(request: HttpRequest, pk: int) -> Person:
    person = _person(request, pk, write=True)
    if person.erased_at is not None:
        raise PermissionDenied
    return person


person_create_view, person_edit_view = create_and_edit_views(_person_form, load=_person_editable, may_create=may_write)


@login_required
def person_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    accessed.send(sender=Person, instance=person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "enrolments": person.enrolments.select_related("course"),
            "writable": person.erased_at is None and user_can(request.user, roles.WRITE, person.unit),
            "overdue": person.retain_until < timezone.localdate(),
        },
    )


@login_required
def person_sheet_view(request: HttpRequest, pk: int) -> HttpResponse:
    """What Loa holds on the person, to hand over when they ask (their right of access)."""
    person = _person(request, pk)
    accessed.send(sender=Person, instance=person)
    body = json.dumps(selectors.person_sheet(person=person), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="du-lieu-ca-nhan-{person.pk}.json"'
    return response


@login_required
@require_POST
def person_erase_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Erasure cannot be undone, so it is asked first: the button posts without `confirm` and
    gets the page saying what goes and what stays; only that page's form erases."""
    person = _person(request, pk, write=True)
    if person.erased_at is not None:
        messages.info(request, _("This record has already been erased."))
        return redirect("people:detail", pk=person.pk)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "people/person_erase_confirm.html",
            {"person": person, "preview": selectors.person_erasure_preview(person=person)},
        )
    services.person_erase(user=request.user, person=person)
    messages.success(request, _("The person's data was erased; their training stays counted."))
    return redirect("people:list")


@login_required
def course_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "people/course_list.html",
        {"courses": selectors.course_list(user=request.user)[:300], "can_add": user_can(request.user, roles.WRITE)},
    )


def _course_form(request: HttpRequest, course: Course | None) -> HttpResponse:
    form = CourseForm(request.POST or None, instance=working_copy(course))
    set_queryset(form.fields["unit"], writable_unit_list(user=request.user))
    return form_page(
        request,
        form,
        save=lambda: services.course_save(user=request.user, course=course, data=form.course_data()),
        done=lambda saved: redirect("people:course", pk=saved.pk),
        message=_("Saved."),
        title=course.title if course else _("New course"),
        context={"cancel": reverse("people:course", args=[course.pk]) if course else reverse("people:courses")},
    )


course_create_view, course_edit_view = create_and_edit_views(
    _course_form, load=lambda request, pk: _course(request, pk, write=True), may_create=may_write
)


def _enrol_form(request: HttpRequest, course: Course, data: QueryDict | None = None) -> EnrolForm:
    form = EnrolForm(data)
    enrolled = course.enrolments.values("person")
    # Anyone on the roster the organiser's staff can see: a bloc board trains the committees' people.
    candidates = selectors.person_list(user=request.user).filter(active=True).exclude(pk__in=enrolled)
    set_queryset(form.fields["people"], candidates)
    return form


@login_required
def course_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk)
    writable = user_can(request.user, roles.WRITE, course.unit)
    today = timezone.localdate()
    return render(
        request,
        "people/course_detail.html",
        {
            "course": course,
            # People outside the reader's scope (enrolled by a unit above) appear without a name.
            "enrolments": course.enrolments.select_related("person__unit"),
            "visible": set(
                selectors.person_list(user=request.user)
                .filter(pk__in=course.enrolments.values("person"))
                .values_list("pk", flat=True)
            ),
            "writable": writable,
            "enrol_form": _enrol_form(request, course) if writable else None,
            "can_record": writable and course.starts_on <= today,
            "can_certify": writable and course.ends_on <= today,
        },
    )


@login_required
@require_POST
def enrol_view(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, write=True)
    form = _enrol_form(request, course, request.POST)
    if form.is_valid():
        try:
            added = services.enrol(user=request.user, course=course, people=form.cleaned_data["people"])
        except ValidationError as error:
            fail(request, error)
        else:
            messages.success(request, _("%(count)d enrolled.") % {"count": added})
    else:
        messages.error(request, _("Choose the people to enrol."))
    return redirect("people:course", pk=course.pk)


@login_required
@require_POST
def attendance_view(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, write=True)
    present = {int(value) for value in request.POST.getlist("present") if value.isdigit()}
    try:
        services.attendance_record(user=request.user, course=course, present=present)
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("Attendance recorded."))
    return redirect("people:course", pk=course.pk)


@login_required
@require_POST
def certificates_view(request: HttpRequest, pk: int) -> HttpResponse:
    course = _course(request, pk, write=True)
    try:
        issued = services.certificates_issue(user=request.user, course=course)
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("%(count)d certificates issued.") % {"count": len(issued)})
    return redirect("people:course", pk=course.pk)
