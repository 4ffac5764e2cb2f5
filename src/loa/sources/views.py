"""Source registry pages: health at a glance, details with counters, add and edit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.decorators import capability_required
from loa.accounts.scoping import user_can
from loa.core.editing import form_page
from loa.sources import services
from loa.sources.forms import SourceForm
from loa.sources.models import Source
from loa.sources.selectors import health_episodes, source_health, source_list, source_vitals


@login_required
def source_list_view(request: HttpRequest) -> HttpResponse:
    sources = list(source_list(user=request.user))
    health = source_health(source_ids=[s.pk for s in sources])
    vitals = source_vitals(source_ids=[s.pk for s in sources])
    rows = [{"source": s, "health": health.get(s.pk), "vitals": vitals.get(s.pk)} for s in sources]
    return render(
        request,
        "sources/source_list.html",
        {"rows": rows, "can_manage": user_can(request.user, roles.MANAGE_SOURCES)},
    )


@login_required
def source_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(source_list(user=request.user), pk=pk)
    health = source_health(source_ids=[source.pk], days=7).get(source.pk)
    return render(
        request,
        "sources/source_detail.html",
        {
            "source": source,
            "health": health,
            "vitals": source_vitals(source_ids=[source.pk]).get(source.pk),
            "episodes": health_episodes(source_id=source.pk),
            "can_manage": user_can(request.user, roles.MANAGE_SOURCES),
        },
    )


@capability_required(roles.MANAGE_SOURCES)
def source_create_view(request: HttpRequest) -> HttpResponse:
    form = SourceForm(request.POST or None, user=request.user)

    def save() -> Source:
        data = form.cleaned_data
        return services.source_create(
            url=data["url"],
            name=data["name"],
            kind=data["kind"],
            outlet_name=data["outlet_name"],
            tier=data["tier"],
            link_pattern=data["link_pattern"],
            interval_minutes=data["interval_minutes"],
            enabled=data["enabled"],
            owner_unit=data["owner_unit"],
        )

    return form_page(
        request,
        form,
        save=save,
        done=lambda source: redirect("sources:detail", pk=source.pk),
        message=_("Source added; it will be polled within a minute."),
        title=_("Add a source"),
    )


@capability_required(roles.MANAGE_SOURCES)
def source_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(source_list(user=request.user), pk=pk)
    initial = {
        "url": source.url,
        "name": source.name,
        "kind": source.kind,
        "outlet_name": source.outlet.name,
        "tier": source.outlet.tier,
        "link_pattern": source.link_pattern,
        "interval_minutes": source.interval_minutes,
        "enabled": source.enabled,
        "owner_unit": source.owner_unit,
    }
    form = SourceForm(request.POST or None, initial=initial, user=request.user)
    form.fields["url"].disabled = True
    form.fields["outlet_name"].disabled = True

    def save() -> None:
        data = form.cleaned_data
        services.source_update(
            source=source,
            name=data["name"],
            kind=data["kind"],
            link_pattern=data["link_pattern"],
            interval_minutes=data["interval_minutes"],
            enabled=data["enabled"],
            tier=data["tier"],
            owner_unit=data["owner_unit"],
        )

    return form_page(
        request,
        form,
        save=save,
        done=lambda _saved: redirect("sources:detail", pk=source.pk),
        message=_("Source saved."),
        title=_("Edit source"),
        context={"source": source},
    )
