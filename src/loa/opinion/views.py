"""Opinion pages: a unit's reports (written, then submitted), the list of topics staff manage,
and the synthesis across the reader's units with its trend chart and rising topics."""

from __future__ import annotations

import csv
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.scoping import user_can, writes_bloc_wide
from loa.core.editing import form_page
from loa.core.web import fail, set_choices
from loa.docformat.charts import number
from loa.docformat.docx import render_docx
from loa.opinion import selectors, services
from loa.opinion.forms import MergeForm, ReportForm, RuleForm, StreamFormSet, SynthesisFilter, TopicForm
from loa.opinion.models import Breadth, OpinionReport, Tendency, Topic, TopicStatus
from loa.opinion.synthesis import Synthesis
from loa.units.models import Unit
from loa.units.selectors import writable_unit_list

_PERIOD = re.compile(r"^20\d\d-(0[1-9]|1[0-2])$")


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
    topics = {topic.pk: topic.name for topic in selectors.topic_choices()}
    formset = StreamFormSet(request.POST or None, prefix="streams", form_kwargs={"topics": list(topics.items())})

    def save() -> OpinionReport:
        # A stream names a topic of the list, or proposes one (services.topic_resolve matches
        # the wording against the list and its aliases first).
        streams = [
            services.Stream(
                topic=topics[data["topic"]] if data.get("topic") else data["new_topic"],
                tendency=data["tendency"],
                breadth=data["breadth"],
                intensity=data["intensity"],
                summary=data["summary"],
                proposals=data["proposals"],
            )
            for data in formset.cleaned_data
            if data and (data.get("topic") or (data.get("new_topic") or "").strip())
        ]
        return services.report_save(
            user=request.user,
            unit=next(unit for unit in units if unit.pk == form.cleaned_data["unit"]),
            kind=form.cleaned_data["kind"],
            period=form.cleaned_data["period"],
            streams=streams,
        )

    return form_page(
        request,
        form,
        save=save,
        done=lambda report: redirect("opinion:detail", pk=report.pk),
        message=_("Report saved; check it and submit it."),
        template="opinion/report_form.html",
        context={"formset": formset},
        formsets=[formset],
    )


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


def _filter(request: HttpRequest) -> SynthesisFilter:
    # The months are chosen (year, month); the export links carry them written out (first=2026-09),
    # and links made before the chooser said from= and to=.
    data = request.GET.copy()
    for old, new in (("from", "first"), ("to", "last")):
        if old in data and not any(key.startswith(new) for key in data):
            data[new] = data.get(old, "")
    return SynthesisFilter(data or None)


def _synthesis(request: HttpRequest) -> tuple[Synthesis, str, str]:
    form = _filter(request)
    first = last = ""
    if form.is_bound and form.is_valid():
        first, last = _period(form.cleaned_data["first"]), _period(form.cleaned_data["last"])
    return selectors.synthesis(user=request.user, first=first, last=last), first, last


@login_required
def synthesis_view(request: HttpRequest) -> HttpResponse:
    result, first, last = _synthesis(request)
    return render(
        request,
        "opinion/synthesis.html",
        {
            "result": result,
            "filter": _filter(request),
            "summary": selectors.summarise(result),
            "first": first,
            "last": last,
            "leanings": {**dict(Tendency.choices), "mixed": _("mixed"), "none": "—"},
            "breadths": Breadth.choices,
            "can_manage": writes_bloc_wide(request.user),
        },
    )


@login_required
def synthesis_chart_view(request: HttpRequest) -> HttpResponse:
    result, _first, _last = _synthesis(request)
    chart = selectors.chart_png(result, decimal=str(get_format("DECIMAL_SEPARATOR")))
    response = HttpResponse(chart, content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
def synthesis_csv_view(request: HttpRequest) -> HttpResponse:
    """The synthesis as CSV for spreadsheets: every topic in every period, with the forecast.

    Written for Excel in the reader's language: in Vietnamese the decimal comma and, since the
    comma then separates decimals, fields separated by semicolons (the list separator of the
    Vietnamese regional settings, so a double click opens it in columns); in English the
    decimal point and commas. UTF-8 with the byte-order mark Excel needs to read it as such."""
    result, _first, _last = _synthesis(request)
    summary = selectors.summarise(result)
    decimal = str(get_format("DECIMAL_SEPARATOR"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tong-hop-du-luan.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";" if decimal == "," else ",")
    writer.writerow(
        ["Kỳ", "Tình trạng kỳ", "Chủ đề", "Số đơn vị phản ánh", "Trọng số", "Xu hướng chính", "Dự báo kỳ tới", "Tăng"]
    )
    status = {row.period: _period_status(row) for row in summary.periods}
    for topic, cells in sorted(result.topics.items()):
        for period in result.periods:
            cell = cells.get(period)
            if cell is None:
                continue
            read = period == summary.latest
            writer.writerow(
                [
                    period,
                    status[period],
                    topic,
                    len(cell.units),
                    number(cell.weight, decimal=decimal, places=2),
                    selectors.LEANINGS[cell.leaning],
                    number(result.forecast[topic], decimal=decimal, places=2) if read else "",
                    "x" if read and topic in result.rising else "",
                ]
            )
    return response


def _period_status(row: selectors.PeriodRow) -> str:
    counted = f" ({row.reported}/{row.expected})" if row.expected is not None else ""
    return ("đủ báo cáo" if row.complete else selectors.INCOMPLETE) + counted


@login_required
def synthesis_docx_view(request: HttpRequest) -> HttpResponse:
    result, _first, _last = _synthesis(request)
    unit = getattr(request.user, "unit", None) or Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    if unit is None:
        raise Http404
    document = selectors.synthesis_document(result=result, unit=unit, chart=selectors.chart_png(result))
    response = HttpResponse(
        render_docx(document),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = 'attachment; filename="tong-hop-du-luan.docx"'
    return response


@login_required
def topic_list_view(request: HttpRequest) -> HttpResponse:
    """The list of topics; staff of the bloc add, rename, accept proposals, merge synonyms and
    set the synthesis rule here, everyone else reads it."""
    can_manage = writes_bloc_wide(request.user)
    topics = list(selectors.topic_list())
    kept = [(topic.pk, topic.name) for topic in topics if topic.status == TopicStatus.ACCEPTED]
    add_form = TopicForm(prefix="add")
    merge_form = MergeForm(prefix="merge")
    rule_form = RuleForm(instance=selectors.rule_current(), prefix="rule")
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action == "add":
                add_form = TopicForm(request.POST, prefix="add")
                if add_form.is_valid():
                    services.topic_create(user=request.user, **add_form.cleaned_data)
                    messages.success(request, _("Topic added."))
                    return redirect("opinion:topics")
            elif action in ("rename", "accept"):
                topic = get_object_or_404(Topic, pk=request.POST.get("topic"))
                if action == "accept":
                    services.topic_accept(user=request.user, topic=topic)
                    messages.success(request, _("Topic accepted into the list."))
                else:
                    services.topic_rename(
                        user=request.user,
                        topic=topic,
                        name=request.POST.get("name", ""),
                        description=request.POST.get("description"),
                    )
                    messages.success(request, _("Topic renamed."))
                return redirect("opinion:topics")
            elif action == "merge":
                merge_form = MergeForm(request.POST, prefix="merge")
                _merge_choices(merge_form, topics, kept)
                if merge_form.is_valid():
                    kept_topic = services.topic_merge(
                        user=request.user,
                        topic=get_object_or_404(Topic, pk=merge_form.cleaned_data["topic"]),
                        into=get_object_or_404(Topic, pk=merge_form.cleaned_data["into"]),
                    )
                    messages.success(request, _("Merged into “%(topic)s”.") % {"topic": kept_topic.name})
                    return redirect("opinion:topics")
            elif action == "rule":
                rule_form = RuleForm(request.POST, instance=selectors.rule_current(), prefix="rule")
                if rule_form.is_valid():
                    services.rule_save(user=request.user, **rule_form.cleaned_data)
                    messages.success(request, _("Synthesis rule saved."))
                    return redirect("opinion:topics")
        except ValidationError as error:
            fail(request, error)
    _merge_choices(merge_form, topics, kept)
    return render(
        request,
        "opinion/topic_list.html",
        {
            "topics": [topic for topic in topics if topic.status != TopicStatus.MERGED],
            "aliases": [topic for topic in topics if topic.status == TopicStatus.MERGED],
            "can_manage": can_manage,
            "add_form": add_form,
            "merge_form": merge_form,
            "rule_form": rule_form,
        },
    )


def _merge_choices(form: MergeForm, topics: list[Topic], kept: list[tuple[int, str]]) -> None:
    merging = [(topic.pk, topic.name) for topic in topics if topic.status != TopicStatus.MERGED]
    set_choices(form.fields["topic"], [("", "—"), *merging])
    set_choices(form.fields["into"], [("", "—"), *kept])
