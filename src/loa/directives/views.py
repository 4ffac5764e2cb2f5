"""Directive pages: the registry with import, a directive with its tasks and their assignments,
the correction form, links, the citation graph; a unit's tasks with progress reports and
evidence; the roll-up per document and per unit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.scoping import user_can
from loa.core.editing import form_page, working_copy
from loa.core.web import fail, set_choices
from loa.directives import selectors, services
from loa.directives.forms import AssignForm, DirectiveForm, ImportForm, ItemFormSet, LinkForm, ProgressForm
from loa.directives.models import Assignment, AssignmentStatus, Directive, Evidence
from loa.units.forms import UnitTreeChoiceField
from loa.units.selectors import TreeRow, unit_list, unit_tree, writable_unit_list


def _directive(request: HttpRequest, pk: int) -> Directive:
    directive = selectors.directive_get(user=request.user, pk=pk)
    if directive is None:
        raise Http404
    return directive


def _set_tree(form: AssignForm, tree: list[TreeRow]) -> None:
    field = form.fields["units"]
    assert isinstance(field, UnitTreeChoiceField)
    field.set_tree(tree)


def _writable_units(request: HttpRequest) -> list[tuple[object, str]]:
    return [(unit.pk, unit.name) for unit in writable_unit_list(user=request.user)]


@login_required
def directive_list_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm()
    units = _writable_units(request)
    set_choices(form.fields["unit"], units)
    return _list_page(request, form if units else None)


def _list_page(request: HttpRequest, form: ImportForm | None) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    return render(
        request,
        "directives/directive_list.html",
        {
            "directives": selectors.directive_list(user=request.user, query=query)[:300],
            "query": query,
            "form": form,
        },
    )


@login_required
@require_POST
def directive_import_view(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, roles.WRITE):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES)
    set_choices(form.fields["unit"], _writable_units(request))
    # A refused file is said on the form, next to the file it is about, not as a bare message.
    if not form.is_valid():
        return _list_page(request, form)
    upload = form.cleaned_data["file"]
    unit = get_object_or_404(unit_list(user=request.user), pk=form.cleaned_data["unit"])
    try:
        directive = services.directive_import(user=request.user, data=upload.read(), filename=upload.name, unit=unit)
    except ValidationError as error:
        form.add_error("file", error)
        return _list_page(request, form)
    messages.success(request, _("Imported; check what was read and correct it if needed."))
    return redirect("directives:detail", pk=directive.pk)


@login_required
def directive_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    view = selectors.directive_view(user=request.user, directive=directive)
    assigns = selectors.assigns(user=request.user)
    assign_forms = {}
    if assigns:
        tree = unit_tree(user=request.user)
        suggested = services.units_for_tasks([row.item.body_list for row in view.items])
        for row, units in zip(view.items, suggested, strict=True):
            # The units the text names come ticked; ids are per item, as every item has a form.
            form = AssignForm(initial={"units": [unit.pk for unit in units]}, auto_id=f"id_item{row.item.pk}_%s")
            _set_tree(form, tree)
            assign_forms[row.item.pk] = form
    link_form = LinkForm()
    set_choices(
        link_form.fields["target"], [(d.pk, str(d)) for d in selectors.directive_list(user=request.user).exclude(pk=pk)]
    )
    return render(
        request,
        "directives/directive_detail.html",
        {
            "view": view,
            "directive": directive,
            "writable": selectors.directive_writable(user=request.user, directive=directive),
            "assigns": assigns,
            "tasks": [(row, assign_forms.get(row.item.pk)) for row in view.items],
            "link_form": link_form,
            "links_out": directive.links_out.select_related("target"),
            "links_in": directive.links_in.select_related("source"),
            "today": timezone.localdate(),
        },
    )


@login_required
def directive_correct_view(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    if not selectors.directive_writable(user=request.user, directive=directive):
        raise PermissionDenied
    items = list(directive.items.all())
    form = DirectiveForm(request.POST or None, instance=working_copy(directive))
    formset = ItemFormSet(
        request.POST or None,
        initial=[{"item": item.pk, "number": item.number, "text": item.text, "bodies": item.bodies} for item in items],
        prefix="items",
    )

    def save() -> None:
        by_pk = {item.pk: item for item in items}
        changes = [
            services.ItemChange(
                number=data.get("number", ""),
                text=data.get("text", ""),
                bodies=data.get("bodies", ""),
                item=by_pk.get(data.get("item") or 0),
                delete=bool(data.get("delete")),
            )
            for data in formset.cleaned_data
            if data
        ]
        services.directive_correct(user=request.user, directive=directive, fields=form.cleaned_data)
        services.items_correct(user=request.user, directive=directive, changes=changes)

    return form_page(
        request,
        form,
        save=save,
        done=lambda _saved: redirect("directives:detail", pk=directive.pk),
        message=_("Corrections saved."),
        template="directives/directive_correct.html",
        context={"formset": formset, "directive": directive},
        formsets=[formset],
    )


@login_required
@require_POST
def directive_link_view(request: HttpRequest, pk: int) -> HttpResponse:
    directive = _directive(request, pk)
    if not selectors.directive_writable(user=request.user, directive=directive):
        raise PermissionDenied
    form = LinkForm(request.POST)
    set_choices(form.fields["target"], [(d.pk, str(d)) for d in selectors.directive_list(user=request.user)])
    if form.is_valid():
        target = get_object_or_404(selectors.directive_list(user=request.user), pk=form.cleaned_data["target"])
        try:
            services.directive_link(user=request.user, source=directive, target=target, kind=form.cleaned_data["kind"])
        except ValidationError as error:
            fail(request, error)
    return redirect("directives:detail", pk=directive.pk)


@login_required
@require_POST
def task_assign_view(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    if not selectors.assigns(user=request.user):
        raise PermissionDenied
    directive = _directive(request, pk)
    item = get_object_or_404(directive.items, pk=item_pk)
    tree = unit_tree(user=request.user)
    units = {row.unit.pk: row.unit for row in tree}
    form = AssignForm(request.POST)
    _set_tree(form, tree)
    if not form.is_valid():
        messages.error(request, _("Choose the units and a valid deadline."))
        return redirect("directives:detail", pk=directive.pk)
    try:
        done = services.task_assign(
            user=request.user,
            task=item,
            units=[units[pk] for pk in form.cleaned_data["units"]],
            deadline=form.cleaned_data["deadline"],
        )
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(
            request, _("Item %(number)s assigned to %(count)s units.") % {"number": item.number, "count": len(done)}
        )
    return redirect(f"{directive_url(directive)}#item-{item.pk}")


def directive_url(directive: Directive) -> str:
    from django.urls import reverse

    return reverse("directives:detail", args=[directive.pk])


@login_required
def assignment_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    assignments = selectors.assignment_list(user=request.user)
    today = timezone.localdate()
    if status == "overdue":
        assignments = assignments.exclude(status=AssignmentStatus.DONE).filter(deadline__lt=today)
    elif status in AssignmentStatus.values:
        assignments = assignments.filter(status=status)
    return render(
        request,
        "directives/assignment_list.html",
        {
            "assignments": assignments[:500],
            "status": status,
            "statuses": [("overdue", _("Overdue")), *AssignmentStatus.choices],
            "today": today,
        },
    )


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(selectors.assignment_list(user=request.user), pk=pk)


@login_required
def assignment_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    return render(
        request,
        "directives/assignment_detail.html",
        {
            "assignment": assignment,
            "reports": assignment.reports.select_related("reported_by").prefetch_related("evidence"),
            "form": ProgressForm(initial={"progress": assignment.progress}),
            "can_report": user_can(request.user, roles.WRITE, assignment.unit),
            "overdue": selectors.is_overdue(assignment, timezone.localdate()),
        },
    )


@login_required
@require_POST
def progress_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    if not user_can(request.user, roles.WRITE, assignment.unit):
        raise PermissionDenied
    form = ProgressForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the progress (0–100 %) and say what was done."))
        return redirect("directives:assignment", pk=assignment.pk)
    try:
        services.progress_report(
            user=request.user,
            assignment=assignment,
            progress=form.cleaned_data["progress"],
            text=form.cleaned_data["text"],
            files=request.FILES.getlist("evidence"),
        )
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("Progress reported."))
    return redirect("directives:assignment", pk=assignment.pk)


@login_required
def evidence_view(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("report__assignment"), pk=pk)
    _assignment(request, evidence.report.assignment_id)  # 404 outside the reader's scope
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.name)


@login_required
def rollup_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directives/rollup.html",
        {
            "by_directive": selectors.rollup_by_directive(user=request.user),
            "by_unit": selectors.rollup_by_unit(user=request.user),
        },
    )


@login_required
def citation_graph_view(request: HttpRequest) -> HttpResponse:
    nodes, edges, (width, height) = selectors.citation_graph(user=request.user)
    return render(
        request,
        "directives/graph.html",
        {"nodes": nodes, "edges": edges, "width": width, "height": height},
    )
