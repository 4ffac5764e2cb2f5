"""The coverage page: up to four series compared over time, with the tone, outlets, terms and
stories of the one in focus and share of voice; each chart with its table and exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from loa.analytics import selectors, tables
from loa.analytics.forms import DEFAULT_DAYS, SERIES, CoverageForm
from loa.docformat.sheets import Sheet, to_csv, to_xlsx

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Figure:
    key: str  # names its export
    sheet: Sheet
    chart: dict[str, Any] | None
    header: list[tuple[str, bool]]
    rows: list[list[tuple[str, bool]]]  # each cell's text and whether it is a number (right-aligned)

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"


def _figure(key: str, sheet: Sheet, chart: dict[str, Any] | None) -> Figure:
    numeric = [
        bool(sheet.rows) and all(isinstance(row[i], int | float) or row[i] is None for row in sheet.rows)
        for i in range(len(sheet.columns))
    ]
    rows = [list(zip(row, numeric, strict=True)) for row in tables.display_rows(sheet)]
    header = [(column.title, numeric[i]) for i, column in enumerate(sheet.columns)]
    return Figure(key=key, sheet=sheet, chart=chart, header=header, rows=rows)


def _figures(found: selectors.Comparison, *, interval: str, measure: str) -> list[Figure]:
    series = [tables.Series(label, volume) for label, volume in found.series]
    focus = series[found.focus]
    volume = tables.volume_sheet(series, interval=interval, measure=measure)
    voices = tables.voice_sheet(found.voices)
    outlets = tables.outlets_sheet(found.outlets, label=focus.label)
    return [
        _figure("volume", volume, tables.volume_chart(series, interval=interval, measure=measure)),
        _figure("tone", tables.tone_sheet(focus, interval=interval), tables.tone_chart(focus, interval=interval)),
        _figure("voice", voices, tables.bar_chart(voices, value_column=2, percent=True)),
        _figure("outlets", outlets, tables.bar_chart(outlets)),
        _figure("terms", tables.terms_sheet(found.terms, label=focus.label), None),
        _figure("stories", tables.stories_sheet(found.stories, label=focus.label), None),
    ]


def _with_default(query: QueryDict, user: Any) -> QueryDict:
    """A first visit compares nothing yet: start from the first organisation the reader follows,
    over the last DEFAULT_DAYS days, written into the boxes so the reader sees what is shown."""
    data = query.copy()
    if not any(query.get(f"{kind}{i}") for kind in "sq" for i in range(1, SERIES + 1)):
        organisations = selectors.subject_choices(user=user)[0][1]
        if organisations:
            data["s1"] = organisations[0][0]
    if not query.get("start") and not query.get("end"):
        today = timezone.localdate()
        data["start"] = f"{today - dt.timedelta(days=DEFAULT_DAYS - 1):%d/%m/%Y}"
        data["end"] = f"{today:%d/%m/%Y}"
    return data


def _download(figures: list[Figure], *, key: str, kind: str) -> HttpResponse:
    chosen = [f for f in figures if key in ("all", f.key)]
    if kind == "csv":
        body = to_csv(chosen[0].sheet, decimal=str(get_format("DECIMAL_SEPARATOR")))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        body = to_xlsx([f.sheet for f in chosen])
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="do-phu-{key}.{kind}"'
    return response


@login_required
def coverage_view(request: HttpRequest) -> HttpResponse:
    data = _with_default(request.GET, request.user)
    form = CoverageForm(data, user=request.user)
    figures: list[Figure] = []
    labels: list[str] = []
    focus = 0
    error = ""
    if form.is_valid():
        selections = form.selections()
        labels = [label for label, _selection in selections]
        try:
            focus = max(int(request.GET.get("focus", "1")) - 1, 0)
        except ValueError:
            focus = 0
        try:
            found = selectors.comparison(
                user=request.user,
                selections=selections,
                interval=form.cleaned_data["interval"],
                measure=form.cleaned_data["measure"],
                focus=focus,
            )
        except selectors.AnalyticsError as problem:
            error = str(problem)
        else:
            focus = found.focus
            figures = _figures(found, interval=form.cleaned_data["interval"], measure=form.cleaned_data["measure"])
    export, kind = request.GET.get("export", ""), request.GET.get("format", "csv")
    keys = {f.key for f in figures} | {"all"}
    if figures and export in keys and kind in FORMATS and not (export == "all" and kind == "csv"):
        return _download(figures, key=export, kind=kind)
    query = data.copy()
    for name in ("export", "format", "focus"):
        query.pop(name, None)
    return render(
        request,
        "analytics/coverage.html",
        {
            "form": form,
            "series_fields": [(form[f"s{i}"], form[f"q{i}"]) for i in range(1, SERIES + 1)],
            "figures": {f.key: f for f in figures},
            "labels": labels,
            "focus": focus,
            "error": error,
            "query": query.urlencode(),
            "title": _("Coverage analytics"),
        },
    )
