"""Incident pages: the list, opening one, running it (steps, statements, notes), closing
it with its review; the playbook library and the spokespersons."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.scoping import user_can
from loa.alerts.selectors import alert_list
from loa.analysis.selectors import organisation_list, story_get
from loa.core.editing import create_and_edit_views, form_page
from loa.core.web import fail, set_choices
from loa.incidents import panels, selectors, services
from loa.incidents.forms import (
    CloseForm,
    IncidentForm,
    NoteForm,
    OpenFromAlertForm,
    PlaybookForm,
    PlaybookStepFormSet,
    PublishForm,
    SpokespersonForm,
    StatementForm,
    StatusForm,
    StepForm,
    StepOwnerForm,
    StoryForm,
)
from loa.incidents.models import Incident, IncidentStatus, Playbook, Spokesperson, Statement
from loa.units.selectors import unit_list

PAGE_SIZE = 50


def _incident(request: HttpRequest, pk: int) -> Incident:
    return get_object_or_404(selectors.incident_list(user=request.user), pk=pk)


# --- incidents -------------------------------------------------------------------------------


@login_required
def incident_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "active")
    incidents = selectors.incident_list(user=request.user, status=None if status == "all" else status)
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = [("active", _("Not closed")), *IncidentStatus.choices, ("all", _("All"))]
    return render(
        request,
        "incidents/incident_list.html",
        {
            "page": page,
            "status": status,
            "statuses": statuses,
            "extra_query": f"status={status}",
            "can_add": user_can(request.user, roles.WRITE),
        },
    )


@login_required
def incident_create_view(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, roles.WRITE):
        raise PermissionDenied
    form = IncidentForm(request.POST or None)
    set_choices(form.fields["unit"], [(u.pk, u.name) for u in unit_list(user=request.user)])
    playbooks = list(selectors.playbook_list(user=request.user, enabled_only=True))
    set_choices(form.fields["playbook"], [("", _("No playbook")), *((p.pk, p.name) for p in playbooks)])
    organisations = list(organisation_list(user=request.user).filter(enabled=True))
    set_choices(form.fields["organisation"], [("", "—"), *((o.pk, o.short_name) for o in organisations)])

    def save() -> Incident:
        data = form.cleaned_data
        unit = get_object_or_404(unit_list(user=request.user), pk=data["unit"])
        return services.incident_open(
            user=request.user,
            title=data["title"],
            unit=unit,
            severity=data["severity"],
            playbook=next((p for p in playbooks if p.pk == data["playbook"]), None),
            organisation=next((o for o in organisations if o.pk == data["organisation"]), None),
            summary=data["summary"],
        )

    return form_page(
        request,
        form,
        save=save,
        done=lambda incident: redirect("incidents:detail", pk=incident.pk),
        title=_("Open an incident"),
    )


@login_required
@require_POST
def incident_from_alert_view(request: HttpRequest, alert_pk: int) -> HttpResponse:
    alert = get_object_or_404(alert_list(user=request.user), pk=alert_pk)
    if not user_can(request.user, roles.WRITE, alert.rule.unit):
        raise PermissionDenied
    playbooks = list(selectors.playbook_list(user=request.user, enabled_only=True))
    form = OpenFromAlertForm(request.POST, playbooks=playbooks)
    if not form.is_valid():
        messages.error(request, _("Choose a playbook and a severity."))
        return redirect("alerts:detail", pk=alert.pk)
    playbook = next((p for p in playbooks if p.pk == form.cleaned_data["playbook"]), None)
    incident = services.incident_open_from_alert(
        user=request.user, alert=alert, playbook=playbook, severity=form.cleaned_data["severity"]
    )
    return redirect("incidents:detail", pk=incident.pk)


@login_required
def incident_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    view = selectors.incident_view(user=request.user, incident=incident)
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "view": view,
            "incident": incident,
            "note_form": NoteForm(),
            "status_form": StatusForm(initial={"status": incident.status}),
            "story_form": StoryForm(),
            "publish_form": PublishForm(),
            "panels": panels.panels_for(user=request.user, incident=incident),
        },
    )


def _action(request: HttpRequest, pk: int, run: Callable[[Incident], object], done: str) -> HttpResponse:
    incident = _incident(request, pk)
    try:
        run(incident)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        messages.success(request, done)
    return redirect("incidents:detail", pk=incident.pk)


@login_required
@require_POST
def incident_note_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = NoteForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    return _action(
        request, pk, lambda i: services.incident_note(user=request.user, incident=i, text=text), _("Note added.")
    )


@login_required
@require_POST
def incident_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = StatusForm(request.POST)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return _action(
        request,
        pk,
        lambda i: services.incident_set_status(user=request.user, incident=i, status=status),
        _("Status changed."),
    )


@login_required
@require_POST
def incident_story_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not user_can(request.user, roles.WRITE, _incident(request, pk).unit):
        raise PermissionDenied
    form = StoryForm(request.POST)
    story = story_get(user=request.user, pk=form.cleaned_data["story"]) if form.is_valid() else None
    if story is None:
        messages.error(request, _("No such story."))
        return redirect("incidents:detail", pk=pk)
    return _action(
        request,
        pk,
        lambda i: services.incident_add_story(user=request.user, incident=i, story=story),
        _("The story is followed; its coverage is on the timeline."),
    )


@login_required
@require_POST
def step_done_view(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    step = get_object_or_404(incident.steps, pk=step_pk)
    form = StepForm(request.POST)
    done = bool(form.is_valid() and form.cleaned_data["done"])
    return _action(request, pk, lambda i: services.step_done(user=request.user, step=step, done=done), _("Saved."))


@login_required
@require_POST
def step_owner_view(request: HttpRequest, pk: int, step_pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    step = get_object_or_404(incident.steps, pk=step_pk)
    if not user_can(request.user, roles.WRITE, incident.unit):
        raise PermissionDenied
    people = selectors.step_owner_choices(user=request.user, incident=incident)
    form = StepOwnerForm(request.POST)
    set_choices(form.fields["owner"], [("", "—"), *((p.pk, p.get_full_name()) for p in people)])
    if not form.is_valid():
        messages.error(request, _("Choose someone who works for this unit or above it."))
        return redirect("incidents:detail", pk=incident.pk)
    owner = next((p for p in people if p.pk == form.cleaned_data["owner"]), None)
    return _action(request, pk, lambda i: services.step_assign(user=request.user, step=step, owner=owner), _("Saved."))


@login_required
def statement_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    if not selectors.incident_writable(user=request.user, incident=incident):
        raise PermissionDenied
    statement = None
    if "statement" in request.GET:
        try:
            statement = get_object_or_404(incident.statements, pk=int(request.GET["statement"]))
        except ValueError:
            raise Http404 from None
    initial = {}
    if statement is not None:
        initial = {
            "title": statement.title,
            "body": statement.body,
            "channel": statement.channel,
            "spokesperson": statement.spokesperson_id,
        }
    form = StatementForm(request.POST or None, initial=initial)
    people = services.spokespersons_for(incident=incident)
    set_choices(form.fields["spokesperson"], [(p.pk, f"{p.name} · {p.position}") for p in people])

    def save() -> Statement:
        data = form.cleaned_data
        spokesperson = next((p for p in people if p.pk == data["spokesperson"]), None)
        if spokesperson is None:
            raise ValidationError(_("Choose a spokesperson."))
        return services.statement_save(
            user=request.user,
            incident=incident,
            statement=statement,
            title=data["title"],
            body=data["body"],
            channel=data["channel"],
            spokesperson=spokesperson,
        )

    return form_page(
        request,
        form,
        save=save,
        done=lambda _saved: redirect("incidents:detail", pk=incident.pk),
        message=_("Statement saved as a draft: it now needs a review."),
        template="incidents/statement_form.html",
        context={"incident": incident, "statement": statement, "people": people},
    )


STATEMENT_ACTIONS = {
    "review": (services.statement_review, _("Statement reviewed: it now needs a leader's approval.")),
    "approve": (services.statement_approve, _("Statement approved.")),
}


@login_required
@require_POST
def statement_action_view(request: HttpRequest, pk: int, statement_pk: int, action: str) -> HttpResponse:
    incident = _incident(request, pk)
    statement: Statement = get_object_or_404(incident.statements.select_related("spokesperson"), pk=statement_pk)
    if action == "publish":
        form = PublishForm(request.POST)
        url = form.cleaned_data["url"] if form.is_valid() else ""
        return _action(
            request,
            pk,
            lambda i: services.statement_publish(user=request.user, statement=statement, url=url),
            _("Statement published."),
        )
    if action not in STATEMENT_ACTIONS:
        raise Http404
    service, done = STATEMENT_ACTIONS[action]
    return _action(request, pk, lambda i: service(user=request.user, statement=statement), str(done))


@login_required
def incident_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident(request, pk)
    if not selectors.incident_writable(user=request.user, incident=incident):
        raise PermissionDenied
    form = CloseForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.incident_close(
            user=request.user, incident=incident, lessons=form.cleaned_data["lessons"]
        ),
        done=lambda _closed: redirect("incidents:detail", pk=incident.pk),
        message=_("Closed. The review is kept with the incident."),
        template="incidents/close.html",
        context=lambda: {"incident": incident, "view": selectors.incident_view(user=request.user, incident=incident)},
    )


# --- playbooks ---------------------------------------------------------------------------------


@login_required
def playbook_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "incidents/playbook_list.html",
        {
            "playbooks": selectors.playbook_list(user=request.user),
            "can_edit": services.playbook_editable(user=request.user),
        },
    )


@login_required
def playbook_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    playbook = get_object_or_404(selectors.playbook_list(user=request.user), pk=pk)
    return render(
        request,
        "incidents/playbook_detail.html",
        {
            "playbook": playbook,
            "steps": playbook.steps.all(),
            "can_edit": services.playbook_editable(user=request.user),
        },
    )


def _playbook_form(request: HttpRequest, playbook: Playbook | None) -> HttpResponse:
    if not services.playbook_editable(user=request.user):
        raise PermissionDenied
    initial: dict[str, object] = {}
    steps_initial: list[dict[str, object]] = []
    if playbook is not None:
        initial = {
            "name": playbook.name,
            "description": playbook.description,
            "severity": playbook.severity,
            "first_response_hours": playbook.first_response_hours,
            "enabled": playbook.enabled,
        }
        steps_initial = [
            {"title": s.title, "owner_role": s.owner_role, "due_after_hours": s.due_after_hours, "guidance": s.guidance}
            for s in playbook.steps.all()
        ]
    form = PlaybookForm(request.POST or None, initial=initial)
    steps = PlaybookStepFormSet(request.POST or None, initial=steps_initial, prefix="steps")

    def save() -> Playbook:
        specs = [
            services.StepSpec(
                title=row["title"],
                due_after_hours=row["due_after_hours"],
                owner_role=row.get("owner_role", ""),
                guidance=row.get("guidance", ""),
            )
            for row in steps.cleaned_data
            if row and row.get("title") and not row.get("DELETE")
        ]
        return services.playbook_save(user=request.user, playbook=playbook, steps=specs, **form.cleaned_data)

    return form_page(
        request,
        form,
        save=save,
        done=lambda saved: redirect("incidents:playbook", pk=saved.pk),
        message=_("Saved. Incidents opened from now on follow this version."),
        template="incidents/playbook_form.html",
        context={"steps": steps, "playbook": playbook},
        formsets=[steps],
    )


playbook_create_view, playbook_edit_view = create_and_edit_views(
    _playbook_form, load=lambda request, pk: get_object_or_404(selectors.playbook_list(user=request.user), pk=pk)
)


# --- spokespersons --------------------------------------------------------------------------------


@login_required
def spokesperson_list_view(request: HttpRequest) -> HttpResponse:
    people = selectors.spokesperson_list(user=request.user)
    return render(
        request,
        "incidents/spokesperson_list.html",
        {
            "people": [(p, user_can(request.user, roles.WRITE, p.unit)) for p in people],
            "can_add": user_can(request.user, roles.WRITE),
        },
    )


def _spokesperson_form(request: HttpRequest, person: Spokesperson | None) -> HttpResponse:
    if not user_can(request.user, roles.WRITE, person.unit if person else None):
        raise PermissionDenied
    initial: dict[str, object] = {}
    if person is not None:
        initial = {
            "unit": person.unit_id,
            "name": person.name,
            "position": person.position,
            "channels": person.channels,
            "authorisation": person.authorisation,
            "valid_from": person.valid_from,
            "valid_to": person.valid_to,
        }
    form = SpokespersonForm(request.POST or None, initial=initial)
    set_choices(form.fields["unit"], [(u.pk, u.name) for u in unit_list(user=request.user)])

    def save() -> Spokesperson:
        data = dict(form.cleaned_data)
        data["unit"] = get_object_or_404(unit_list(user=request.user), pk=data["unit"])
        return services.spokesperson_save(user=request.user, spokesperson=person, **data)

    return form_page(
        request,
        form,
        save=save,
        done="incidents:spokespersons",
        message=_("Saved."),
        title=_("Spokesperson"),
        context={"cancel": reverse("incidents:spokespersons")},
    )


spokesperson_create_view, spokesperson_edit_view = create_and_edit_views(
    _spokesperson_form,
    load=lambda request, pk: get_object_or_404(selectors.spokesperson_list(user=request.user), pk=pk),
)
