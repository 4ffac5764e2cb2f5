"""Opinion pages: a unit's reports (written, then submitted), and the synthesis across the
reader's units with its trend chart and rising topics."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.scoping import user_can
from loa.core.web import set_choices
from loa.docformat.charts import lines
from loa.opinion import selectors, services
from loa.opinion.forms import ReportForm, StreamFormSet
from loa.opinion.models import Breadth, Tendency
from loa.opinion.synthesis import Synthesis
from loa.units.selectors import unit_list

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
    units = [unit for unit in unit_list(user=request.user) if user_can(request.user, roles.WRITE, unit)]
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
    rows: list[dict[str, Any]] = []
    latest = result.periods[-1] if result.periods else ""
    for topic, series in result.topics.items():
        cell = series.get(latest)
        rows.append(
            {
                "topic": topic,
                "units": len(cell.units) if cell else 0,
                "weight": round(cell.weight, 2) if cell else 0,
                "leaning": cell.leaning if cell else "none",
                "forecast": result.forecast[topic],
                "rising": topic in result.rising,
            }
        )
    rows.sort(key=lambda row: (-float(row["weight"]), str(row["topic"])))
    return render(
        request,
        "opinion/synthesis.html",
        {
            "result": result,
            "rows": rows,
            "latest": latest,
            "first": first,
            "last": last,
            "leanings": {**dict(Tendency.choices), "mixed": _("mixed"), "none": "—"},
            "breadths": Breadth.choices,
        },
    )


@login_required
def synthesis_chart_view(request: HttpRequest) -> HttpResponse:
    result, _first, _last = _synthesis(request)
    periods = result.periods
    topics = sorted(
        result.topics.items(),
        key=lambda pair: -sum(cell.weight for cell in pair[1].values()),
    )[:TOPICS_ON_CHART]
    series = {topic: [round(cells[p].weight, 2) if p in cells else 0.0 for p in periods] for topic, cells in topics}
    png = lines(periods, series, title="Diễn biến các luồng dư luận (trọng số theo mức độ, phạm vi)")
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response
