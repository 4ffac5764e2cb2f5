"""Evaluation pages: rounds with their ranking, a unit's evaluation with the evidence from Loa's
records, its self-assessment and the appraisal, and the decision."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

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
from loa.core.editing import form_page, set_queryset
from loa.core.web import fail, whole_number
from loa.evaluation import selectors, services
from loa.evaluation.forms import CriterionFormSet, RoundForm
from loa.evaluation.models import Evaluation, GradeChoice, Round, Status
from loa.units.selectors import writable_unit_list


def _round(request: HttpRequest, pk: int) -> Round:
    return get_object_or_404(selectors.round_list(user=request.user), pk=pk)


def _evaluation(request: HttpRequest, pk: int) -> Evaluation:
    return get_object_or_404(selectors.evaluation_list(user=request.user), pk=pk)


@login_required
def round_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "evaluation/round_list.html",
        {
            "rounds": selectors.round_list(user=request.user),
            "evaluations": selectors.evaluation_list(user=request.user).order_by("-round__year", "unit__path")[:200],
            "can_add": user_can(request.user, roles.WRITE),
        },
    )


@login_required
def round_create_view(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, roles.WRITE):
        raise PermissionDenied
    year = timezone.localdate().year
    form = RoundForm(
        request.POST or None,
        initial={"year": year, "title": f"Đánh giá, xếp loại công tác tuyên truyền năm {year}"},
    )
    set_queryset(form.fields["unit"], writable_unit_list(user=request.user))
    initial = [
        {"title": spec.title, "max_points": spec.max_points, "source": spec.source}
        for spec in services.DEFAULT_CRITERIA
    ]
    formset = CriterionFormSet(request.POST or None, prefix="criteria", initial=initial)

    def save() -> Round:
        criteria = [
            services.CriterionSpec(row["title"], row["max_points"], row.get("source") or "")
            for row in formset.cleaned_data
            if row and row.get("title", "").strip() and row.get("max_points") is not None
        ]
        return services.round_open(
            user=request.user, unit=form.cleaned_data["unit"], data=form.round_data(), criteria=criteria
        )

    return form_page(
        request,
        form,
        save=save,
        done=lambda saved: redirect("evaluation:round", pk=saved.pk),
        message=_("Round opened; each unit can now assess itself."),
        template="evaluation/round_form.html",
        context={"formset": formset},
        formsets=[formset],
    )


@login_required
def round_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _round(request, pk)
    evaluations = selectors.evaluation_list(user=request.user).filter(round=round_).prefetch_related("commendations")
    return render(
        request,
        "evaluation/round_detail.html",
        {
            "round": round_,
            "criteria": round_.criteria.all(),
            "evaluations": evaluations,
            "can_decide": round_.decided_at is None and user_can(request.user, roles.APPROVE, round_.unit),
        },
    )


@login_required
@require_POST
def round_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first, like every irreversible action: a POST without `seen` shows the preview of the
    decision (grades, the cap, ranks, commendations) and writes nothing; confirming it posts the
    preview's token, and the grades are decided only if they are still those previewed (if not,
    the new preview is shown with the reason)."""
    round_ = _round(request, pk)
    if not user_can(request.user, roles.APPROVE, round_.unit):
        raise PermissionDenied
    if round_.decided_at is not None:
        return redirect("evaluation:round", pk=round_.pk)
    if "seen" in request.POST:
        try:
            services.round_decide(user=request.user, round_=round_, seen=request.POST["seen"])
        except ValidationError as error:
            fail(request, error)
        else:
            messages.success(request, _("Grades decided."))
            return redirect("evaluation:round", pk=round_.pk)
    return render(
        request, "evaluation/round_decide.html", {"round": round_, "preview": selectors.decision_preview(round_=round_)}
    )


@login_required
def evaluation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    decided = evaluation.round.decided_at is not None
    return render(
        request,
        "evaluation/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "scores": evaluation.scores.select_related("criterion"),
            "can_self": evaluation.status in (Status.DRAFT, Status.SELF)
            and user_can(request.user, roles.WRITE, evaluation.unit),
            "can_appraise": not decided
            and evaluation.status in (Status.SELF, Status.APPRAISED)
            and user_can(request.user, roles.WRITE, evaluation.round.unit),
            "can_change": not decided
            and evaluation.status == Status.APPRAISED
            and user_can(request.user, roles.APPROVE, evaluation.round.unit),
            "grades": GradeChoice.choices,
            "changes": evaluation.grade_changes.select_related("changed_by"),
            "commendations": evaluation.commendations.all(),
        },
    )


def _points(request: HttpRequest, evaluation: Evaluation) -> dict[int, Decimal]:
    points = {}
    for score in evaluation.scores.all():
        raw = request.POST.get(f"points_{score.pk}", "").strip().replace(",", ".")
        if raw:
            try:
                points[score.pk] = Decimal(raw)
            except InvalidOperation as error:
                raise ValidationError(_("Points are numbers, like 18 or 18,5.")) from error
    return points


@login_required
@require_POST
def self_assess_view(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not user_can(request.user, roles.WRITE, evaluation.unit):
        raise PermissionDenied
    try:
        services.self_assess(
            user=request.user,
            evaluation=evaluation,
            points=_points(request, evaluation),
            tasks_exceeded=whole_number(request.POST.get("tasks_exceeded")) or 0,
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("Self-assessment sent for appraisal."))
    return redirect("evaluation:detail", pk=evaluation.pk)


@login_required
@require_POST
def appraise_view(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not user_can(request.user, roles.WRITE, evaluation.round.unit):
        raise PermissionDenied
    try:
        services.appraise(
            user=request.user,
            evaluation=evaluation,
            points=_points(request, evaluation),
            tasks_exceeded=whole_number(request.POST.get("tasks_exceeded")) or 0,
            disciplined_subordinate=request.POST.get("disciplined_subordinate") == "on",
            shortcomings_fixed=request.POST.get("shortcomings_fixed") == "on",
            disqualified=request.POST.get("disqualified") == "on",
            comment=request.POST.get("comment", ""),
        )
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("Appraisal saved."))
    return redirect("evaluation:detail", pk=evaluation.pk)


@login_required
@require_POST
def refresh_view(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not user_can(request.user, roles.WRITE, evaluation.unit):
        raise PermissionDenied
    try:
        services.evidence_refresh(user=request.user, evaluation=evaluation)
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("Evidence read again from the records."))
    return redirect("evaluation:detail", pk=evaluation.pk)


@login_required
@require_POST
def grade_change_view(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk)
    if not user_can(request.user, roles.APPROVE, evaluation.round.unit):
        raise PermissionDenied
    try:
        services.grade_change(
            user=request.user,
            evaluation=evaluation,
            grade=request.POST.get("grade", ""),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        fail(request, error)
    else:
        messages.success(request, _("Grade changed; the reason is kept with the evaluation."))
    return redirect("evaluation:detail", pk=evaluation.pk)
