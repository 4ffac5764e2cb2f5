"""Opinion pages: a unit's reports (written, then submitted), and the synthesis across the
reader's units with its trend chart and rising topics."""

from __future__ import annotations

import csv
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.scoping import user_can
from loa.core.web import set_choices
from loa.docformat.charts import lines
from loa.docformat.docx import render_docx
from loa.opinion import selectors, services
from loa.opinion.forms import ReportForm, StreamFormSet
from loa.opinion.models import Breadth, Tendency
from loa.opinion.synthesis import Synthesis
from loa.units.models import Unit
from loa.units.selectors import writable_unit_list

_PERIOD = re.compile(r"^20\d\d-(0[1-9]|1[0-2])$")
TOPICS_ON_CHART = 6


def _period(value: str | None) -> str:
    return value if value and _PERIOD.match(value) else ""


@login_required
def report_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opinion/report_list.html",
        {"reports": selectors.report_list(user=request.user)[:300], "can_add": user_can(request.user, roles.WRITE)},
    )


@login_required
def report_create_view(request: HttpRequest) -> HttpResponse:
    units = list(writable_unit_list(user=request.user))
    if not units:
        raise PermissionDenied
    form = ReportForm(request.POST or None, initial={"period": timezone.localdate().strftime("%Y-%m")})
    set_choices(form.fields["unit"], [(unit.pk, unit.name) for unit in units])
    formset = StreamFormSet(request.POST or None, prefix="streams")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        streams = [
            services.Stream(
                topic=data["topic"],
                tendency=data["tendency"],
                breadth=data["breadth"],
                intensity=data["intensity"],
                summary=data["summary"],
                proposals=data["proposals"],
            )
            for data in formset.cleaned_data
            if data and data.get("topic", "").strip()
        ]
        try:
            report = services.report_save(
                user=request.user,
                unit=next(unit for unit in units if unit.pk == form.cleaned_data["unit"]),
                kind=form.cleaned_data["kind"],
                period=form.cleaned_data["period"],
                streams=streams,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Report saved; check it and submit it."))
            return redirect("opinion:detail", pk=report.pk)
    return render(request, "opinion/report_form.html", {"form": form, "formset": formset})


@login_required
def report_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.report_list(user=request.user), pk=pk)
    return render(
        request,
        "opinion/report_detail.html",
        {
            "report": report,
            "items": report.items.all(),
            "can_submit": report.submitted_at is None and user_can(request.user, roles.WRITE, report.unit),
        },
    )


@login_required
@require_POST
def report_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors.report_list(user=request.user), pk=pk)
    if not user_can(request.user, roles.WRITE, report.unit):
        raise PermissionDenied
    services.report_submit(user=request.user, report=report)
    messages.success(request, _("Report submitted."))
    return redirect("opinion:detail", pk=report.pk)


def _synthesis(request: HttpRequest) -> tuple[Synthesis, str, str]:
    first, last = _period(request.GET.get("from")), _period(request.GET.get("to"))
    return selectors.synthesis(user=request.user, first=first, last=last), first, last


@login_required
def synthesis_view(request: HttpRequest) -> HttpResponse:
    result, first, last = _synthesis(request)
    latest = result.periods[-1] if result.periods else ""
    return render(
        request,
        "opinion/synthesis.html",
        {
            "result": result,
            "rows": selectors.synthesis_rows(result),
            "latest": latest,
            "first": first,
            "last": last,
            "leanings": {**dict(Tendency.choices), "mixed": _("mixed"), "none": "—"},
            "breadths": Breadth.choices,
        },
    )


def _chart(result: Synthesis) -> bytes:
    periods = result.periods
    topics = sorted(
        result.topics.items(),
        key=lambda pair: -sum(cell.weight for cell in pair[1].values()),
    )[:TOPICS_ON_CHART]
    series = {topic: [round(cells[p].weight, 2) if p in cells else 0.0 for p in periods] for topic, cells in topics}
    return lines(periods, series, title="Diễn biến các luồng dư luận (trọng số theo mức độ, phạm vi)")


@login_required
def synthesis_chart_view(request: HttpRequest) -> HttpResponse:
    result, _first, _last = _synthesis(request)
    response = HttpResponse(_chart(result), content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
def synthesis_csv_view(request: HttpRequest) -> HttpResponse:
    """The synthesis as CSV for spreadsheets: every topic in every period, with the forecast."""
    result, _first, _last = _synthesis(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tong-hop-du-luan.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with its byte-order mark
    writer = csv.writer(response)
    writer.writerow(["Kỳ", "Chủ đề", "Số đơn vị phản ánh", "Trọng số", "Xu hướng chính", "Dự báo kỳ tới", "Tăng"])
    for topic, cells in sorted(result.topics.items()):
        for period in result.periods:
            cell = cells.get(period)
            if cell is None:
                continue
            writer.writerow(
                [
                    period,
                    topic,
                    len(cell.units),
                    f"{cell.weight:.2f}",
                    selectors.LEANINGS[cell.leaning],
                    f"{result.forecast[topic]:.2f}" if period == result.periods[-1] else "",
                    "x" if period == result.periods[-1] and topic in result.rising else "",
                ]
            )
    return response


@login_required
def synthesis_docx_view(request: HttpRequest) -> HttpResponse:
    result, _first, _last = _synthesis(request)
    unit = getattr(request.user, "unit", None) or Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if unit is None:
        raise Http404
    document = selectors.synthesis_document(result=result, unit=unit, chart=_chart(result))
    response = HttpResponse(
        render_docx(document),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = 'attachment; filename="tong-hop-du-luan.docx"'
    return response
