"""Report pages: the list, preparing one for a period, its figures and charts, the written parts,
issuing it with a number, exports; the letterheads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.scoping import user_can
from loa.core.editing import form_page, working_copy
from loa.core.web import fail, set_choices
from loa.docformat.convert import ConversionError
from loa.reports import documents, selectors, services
from loa.reports.forms import LetterheadForm, ReportCreateForm, ReportTextForm
from loa.reports.models import Report
from loa.units.selectors import unit_list

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _report(request: HttpRequest, pk: int, *, capability: str | None = None) -> Report:
    report = get_object_or_404(selectors.report_list(user=request.user), pk=pk)
    if capability is not None and not user_can(request.user, capability, report.unit):
        raise PermissionDenied
    return report


@login_required
def report_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reports/report_list.html",
        {"reports": selectors.report_list(user=request.user)[:200], "can_add": user_can(request.user, roles.WRITE)},
    )


@login_required
def report_create_view(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, roles.WRITE):
        raise PermissionDenied
    units = list(unit_list(user=request.user))
    letterheads = {head.unit_id: head for head in selectors.letterhead_list(user=request.user)}
    # An issuer is any unit the user writes for; its letterhead is drawn from the unit the
    # first time it issues (on submit, so that opening the form changes nothing).
    issuers = [unit for unit in units if user_can(request.user, roles.WRITE, unit)]
    issuers.sort(key=lambda unit: unit.pk not in letterheads)  # those that already issue come first
    form = ReportCreateForm(request.POST or None)
    set_choices(form.fields["unit"], [(unit.pk, unit.name) for unit in units])
    set_choices(
        form.fields["letterhead"],
        [
            (
                unit.pk,
                f"{letterheads[unit.pk].issuer} ({letterheads[unit.pk].symbol})"
                if unit.pk in letterheads
                else unit.name,
            )
            for unit in issuers
        ],
    )

    def save() -> Report:
        data = form.cleaned_data
        return services.report_prepare(
            user=request.user,
            unit=next(unit for unit in units if unit.pk == data["unit"]),
            letterhead=services.letterhead_ensure(unit=next(unit for unit in issuers if unit.pk == data["letterhead"])),
            period=data["period"],
        )

    return form_page(
        request,
        form,
        save=save,
        done=lambda report: redirect("reports:detail", pk=report.pk),
        title=_("Prepare a report"),
        error_field="period",
    )


@login_required
def report_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    writable = selectors.report_writable(user=request.user, report=report)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "sections": report.figures.get("sections", []),
            "writable": writable,
            "issuable": selectors.report_issuable(user=request.user, report=report),
            "text_form": ReportTextForm(
                initial={"summary": report.summary, "assessment": report.assessment, "directions": report.directions}
            ),
        },
    )


@login_required
@require_POST
def report_text_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, capability=roles.WRITE)
    form = ReportTextForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A report needs a summary line."))
        return redirect("reports:detail", pk=report.pk)
    try:
        services.report_update(user=request.user, report=report, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        messages.success(request, _("Report saved."))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_refresh_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, capability=roles.WRITE)
    try:
        services.report_refresh(user=request.user, report=report)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        messages.success(request, _("Figures taken again."))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def report_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Issuing takes a number for good, so it is asked first: the button posts without
    `confirm` and gets the page showing the number it would take; only that page's form
    (`confirm` and the number shown) issues. If the number was taken meanwhile, the page comes
    back with the new one and a notice, and nothing is issued."""
    report = _report(request, pk, capability=roles.APPROVE)
    changed = None
    if request.POST.get("confirm") == "yes":
        try:
            report = services.report_issue(
                user=request.user, report=report, expected_symbol=request.POST.get("symbol", "")
            )
        except services.NumberChanged as error:
            changed = error
        except (ValidationError, PermissionDenied) as error:
            fail(request, error)
            return redirect("reports:detail", pk=report.pk)
        else:
            messages.success(request, _("Issued as %(symbol)s.") % {"symbol": report.symbol})
            return redirect("reports:detail", pk=report.pk)
    try:
        symbol = services.report_issue_preview(user=request.user, report=report)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
        return redirect("reports:detail", pk=report.pk)
    return render(
        request,
        "reports/report_issue_confirm.html",
        {"report": report, "symbol": symbol, "changed": changed, "today": timezone.localdate()},
    )


@login_required
def report_chart_view(request: HttpRequest, pk: int, section: int, chart: int) -> HttpResponse:
    report = _report(request, pk)
    try:
        spec = report.figures["sections"][section]["charts"][chart]
    except (KeyError, IndexError, TypeError):
        raise Http404 from None
    response = HttpResponse(documents.chart_png(spec), content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def report_export_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = _report(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    try:
        content = documents.document_bytes(documents.report_document(report), fmt)
    except ConversionError as error:
        messages.error(request, _("The PDF could not be made: %(error)s") % {"error": error})
        return redirect("reports:detail", pk=report.pk)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = (report.symbol or f"bao-cao-{report.pk}").replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def letterhead_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reports/letterhead_list.html", {"letterheads": selectors.letterhead_list(user=request.user)}
    )


@login_required
def letterhead_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    letterhead = get_object_or_404(selectors.letterhead_list(user=request.user), pk=pk)
    if not user_can(request.user, roles.WRITE, letterhead.unit):
        raise PermissionDenied
    form = LetterheadForm(request.POST or None, instance=working_copy(letterhead))
    return form_page(
        request,
        form,
        save=lambda: services.letterhead_save(user=request.user, letterhead=letterhead, **form.cleaned_data),
        done="reports:letterheads",
        message=_("Letterhead saved."),
        title=letterhead.issuer,
        context={"cancel": reverse("reports:letterheads")},
    )
