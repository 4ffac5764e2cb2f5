"""Rebuttal library pages: the library, an argument with its versions, drafting a version with
its evidence, review and approval, and using an approved argument on an incident."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.scoping import user_can
from loa.articles.models import Article
from loa.claims import rebuttals as services
from loa.claims import rebuttals_selectors as selectors
from loa.claims.forms_rebuttals import EvidenceFormSet, RebuttalForm, UseForm
from loa.claims.models import Claim, Rebuttal, RebuttalVersion
from loa.claims.selectors import claim_list
from loa.core.editing import form_page
from loa.core.web import fail, set_choices

PAGE_SIZE = 30


def _rebuttal(request: HttpRequest, pk: int) -> Rebuttal:
    rebuttal = selectors.rebuttal_get(user=request.user, pk=pk)
    if rebuttal is None:
        raise Http404
    return rebuttal


@login_required
def rebuttal_library_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    arguments = selectors.library(user=request.user, query=query)
    page = Paginator(arguments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/rebuttal_list.html",
        {"page": page, "query": query, "extra_query": urlencode({"q": query}) if query else ""},
    )


@login_required
def rebuttal_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    rebuttal = _rebuttal(request, pk)
    view = selectors.rebuttal_page(user=request.user, rebuttal=rebuttal)
    return render(request, "claims/rebuttal_detail.html", {"view": view, "rebuttal": rebuttal})


def _evidence_specs(formset: Any, request: HttpRequest) -> list[services.EvidenceSpec]:
    documents = {d.pk: d for d in selectors.evidence_documents(user=request.user)}
    statements = {s.pk: s for s in selectors.evidence_statements(user=request.user)}
    specs = []
    for row in formset.cleaned_data:
        if not row or row.get("DELETE") or not (row.get("kind") or row.get("description")):
            continue
        article = None
        if row.get("article"):
            # The press is shared by every unit: any stored article may be cited.
            article = Article.objects.filter(pk=row["article"]).first()
            if article is None:
                raise ValidationError(_("No article numbered %(number)s.") % {"number": row["article"]})
        specs.append(
            services.EvidenceSpec(
                kind=row.get("kind") or "",
                description=row.get("description") or "",
                reference=row.get("reference") or "",
                document=documents.get(row["document"]) if row.get("document") else None,
                statement=statements.get(row["statement"]) if row.get("statement") else None,
                article=article,
            )
        )
    return specs


def _form_page(request: HttpRequest, claim: Claim, rebuttal: Rebuttal | None) -> HttpResponse:
    if not user_can(request.user, roles.WRITE, claim.unit):
        raise PermissionDenied
    initial: dict[str, object] = {}
    rows: list[dict[str, object]] = []
    newest = rebuttal.versions.order_by("-number").first() if rebuttal is not None else None
    if rebuttal is not None:
        initial = {"title": rebuttal.title, "text": newest.text if newest else ""}
    if newest is not None:
        rows = [
            {
                "kind": item.kind,
                "description": item.description,
                "reference": item.reference,
                "document": item.document_id,
                "statement": item.statement_id,
                "article": item.article_id,
            }
            for item in newest.evidence.all()
        ]
    form = RebuttalForm(request.POST or None, initial=initial)
    evidence = EvidenceFormSet(request.POST or None, initial=rows, prefix="evidence")
    documents = [(d.pk, f"{d.symbol or '—'} · {d.title[:90]}") for d in selectors.evidence_documents(user=request.user)]
    statements = [
        (s.pk, f"{s.title[:90]} · {s.incident.title[:60]}") for s in selectors.evidence_statements(user=request.user)
    ]
    for row in evidence.forms:
        set_choices(row.fields["document"], [("", "—"), *documents])
        set_choices(row.fields["statement"], [("", "—"), *statements])

    def save() -> RebuttalVersion:
        return services.rebuttal_save(
            user=request.user,
            claim=claim,
            rebuttal=rebuttal,
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            evidence=_evidence_specs(evidence, request),
        )

    return form_page(
        request,
        form,
        save=save,
        done=lambda version: redirect("claims:rebuttal", pk=version.rebuttal_id),
        message=lambda version: (
            _("Version %(number)s saved as a draft: it now needs a review.") % {"number": version.number}
        ),
        template="claims/rebuttal_form.html",
        context={"claim": claim, "rebuttal": rebuttal, "evidence": evidence, "newest": newest},
        formsets=[evidence],
    )


@login_required
def rebuttal_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_object_or_404(claim_list(user=request.user), pk=pk)
    return _form_page(request, claim, None)


@login_required
def rebuttal_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    rebuttal = _rebuttal(request, pk)
    return _form_page(request, rebuttal.claim, rebuttal)


ACTIONS = {
    "review": (services.rebuttal_review, _("Argument reviewed: it now needs a leader's approval.")),
    "approve": (services.rebuttal_approve, _("Argument approved: this version is now the one in use.")),
}


@login_required
@require_POST
def rebuttal_action_view(request: HttpRequest, pk: int, version_pk: int, action: str) -> HttpResponse:
    rebuttal = _rebuttal(request, pk)
    version = get_object_or_404(rebuttal.versions.all(), pk=version_pk)
    if action not in ACTIONS:
        raise Http404
    service, done = ACTIONS[action]
    try:
        service(user=request.user, version=version)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        messages.success(request, str(done))
    return redirect("claims:rebuttal", pk=rebuttal.pk)


@login_required
def rebuttal_use_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Use an approved argument: a note on an open incident, or text added to a draft statement."""
    rebuttal = _rebuttal(request, pk)
    if not user_can(request.user, roles.WRITE):
        raise PermissionDenied
    in_use = services.rebuttal_in_use(rebuttal)
    incidents, statements = selectors.use_targets(user=request.user)
    form = UseForm(request.POST or None)
    # Grouped choices: the two kinds of target, each a list of (value, label).
    choices: list[tuple[object, Any]] = [
        ("", "—"),
        (_("Note on an open incident"), [(f"incident:{i.pk}", i.title) for i in incidents]),
        (
            _("Add to a draft statement"),
            [(f"statement:{s.pk}", f"{s.title} · {s.incident.title}") for s in statements],
        ),
    ]
    target = form.fields["target"]
    assert isinstance(target, forms.ChoiceField)
    target.choices = choices

    def save() -> str:
        kind, _sep, number = form.cleaned_data["target"].partition(":")
        if kind == "incident":
            incident = next((i for i in incidents if str(i.pk) == number), None)
            if incident is None:
                raise ValidationError(_("Choose an open incident or a draft statement."))
            services.rebuttal_use_in_incident(user=request.user, rebuttal=rebuttal, incident=incident)
            return f"incident:{incident.pk}"
        statement = next((s for s in statements if str(s.pk) == number), None)
        if statement is None:
            raise ValidationError(_("Choose an open incident or a draft statement."))
        services.rebuttal_use_in_statement(user=request.user, rebuttal=rebuttal, statement=statement)
        return f"incident:{statement.incident_id}"

    return form_page(
        request,
        form,
        save=save,
        done=lambda target: redirect("incidents:detail", pk=int(target.partition(":")[2])),
        message=_("The argument was added."),
        template="claims/rebuttal_use.html",
        context={"rebuttal": rebuttal, "in_use": in_use, "incidents": incidents, "statements": statements},
    )
