"""Alert pages: the in-app alert list, one alert with its deliveries, and the rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.models import User
from loa.accounts.scoping import user_can
from loa.alerts import selectors, services
from loa.alerts.explain import explanation_text
from loa.alerts.forms import RuleForm
from loa.alerts.models import AlertRule, AlertStatus
from loa.core.editing import create_and_edit_views, form_page, working_copy
from loa.incidents.forms import OpenFromAlertForm
from loa.incidents.models import Incident
from loa.incidents.selectors import playbook_list

PAGE_SIZE = 50


@login_required
def alert_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", AlertStatus.OPEN)
    alerts = selectors.alert_list(user=request.user, status=status if status != "all" else None)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "alerts/alert_list.html",
        {"page": page, "status": status, "statuses": AlertStatus.choices, "extra_query": f"status={status}"},
    )


@login_required
def alert_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(selectors.alert_list(user=request.user), pk=pk)
    can_write = user_can(request.user, roles.WRITE, alert.rule.unit)
    open_form = None
    if can_write:
        playbooks = playbook_list(user=request.user, enabled_only=True)
        open_form = OpenFromAlertForm(initial={"severity": alert.severity}, playbooks=playbooks)
    return render(
        request,
        "alerts/alert_detail.html",
        {
            "alert": alert,
            "explanation": explanation_text(alert.explanation),
            "path": selectors.alert_path(alert=alert),
            "deliveries": selectors.alert_deliveries(alert=alert),
            "incidents": Incident.objects.filter(alert=alert),
            "can_write": can_write,
            "open_form": open_form,
        },
    )


@login_required
@require_POST
def alert_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(selectors.alert_list(user=request.user), pk=pk)
    if not user_can(request.user, roles.WRITE, alert.rule.unit) and not user_can(
        request.user, roles.APPROVE, alert.rule.unit
    ):
        raise PermissionDenied
    services.alert_acknowledge(alert=alert, user=request.user if isinstance(request.user, User) else None)
    messages.success(request, _("Acknowledged: escalation is stopped."))
    return redirect("alerts:detail", pk=alert.pk)


@login_required
def rule_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "alerts/rule_list.html",
        {
            "rules": [
                (r, selectors.rule_editable(user=request.user, rule=r)) for r in selectors.rule_list(user=request.user)
            ],
            "can_add": user_can(request.user, roles.WRITE),
        },
    )


def _rule_form(request: HttpRequest, rule: AlertRule | None) -> HttpResponse:
    if not selectors.rule_editable(user=request.user, rule=rule):
        raise PermissionDenied
    form = RuleForm(request.POST or None, instance=working_copy(rule), user=request.user)

    def save() -> AlertRule:
        data = dict(form.cleaned_data)
        if not user_can(request.user, roles.WRITE, data["unit"]):
            raise ValidationError(_("You may not set rules for that unit."))
        return services.rule_save(
            rule=rule,
            name=data.pop("name"),
            unit=data.pop("unit"),
            kind=data.pop("kind"),
            organisation=data.pop("organisation"),
            saved_query=data.pop("saved_query"),
            **data,
        )

    return form_page(
        request,
        form,
        save=save,
        done="alerts:rules",
        message=_("Saved. The rule looks at new articles from now on."),
        title=_("Alert rule"),
        context={"cancel": reverse("alerts:rules")},
    )


rule_create_view, rule_edit_view = create_and_edit_views(
    _rule_form, load=lambda request, pk: get_object_or_404(selectors.rule_list(user=request.user), pk=pk)
)
