"""Pages of correction, reply and removal requests: the list, recording one, its page with the
checks and their changes, closing it, and its evidence copy as PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loa.accounts import roles
from loa.accounts.scoping import user_can
from loa.claims import requests_selectors as selectors
from loa.claims import selectors as claim_selectors
from loa.claims import services_requests as services
from loa.claims.documents_requests import evidence_bytes
from loa.claims.forms_requests import RequestForm
from loa.claims.models import ContentRequest
from loa.core.editing import form_page
from loa.core.web import fail, set_choices
from loa.docformat.convert import ConversionError
from loa.incidents.selectors import incident_list
from loa.units.selectors import unit_list

PAGE_SIZE = 50
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _request(request: HttpRequest, pk: int) -> ContentRequest:
    found = selectors.request_get(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


@login_required
def request_list_view(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "open")
    requests = selectors.request_list(user=request.user, state=state if state in ("open", "closed") else "")
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "claims/request_list.html",
        {
            "page": page,
            "rows": [(item, selectors.request_overdue(item, today=today)) for item in page],
            "state": state,
            "states": [("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))],
            "extra_query": f"state={state}",
            "can_add": user_can(request.user, roles.WRITE),
        },
    )


@login_required
def request_create_view(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, roles.WRITE):
        raise PermissionDenied
    claims = list(claim_selectors.claim_list(user=request.user).select_related(None).only("pk", "title", "unit_id"))
    incidents = list(incident_list(user=request.user).select_related(None).only("pk", "title", "unit_id")[:200])
    units = list(unit_list(user=request.user))
    initial: dict[str, object] = {"legal_basis_preset": "press_law_42", "sent_on": timezone.localdate()}
    chosen_claim = next((c for c in claims if str(c.pk) == request.GET.get("claim")), None)
    if chosen_claim is not None:
        initial.update(claim=chosen_claim.pk, unit=chosen_claim.unit_id)
    chosen_incident = next((i for i in incidents if str(i.pk) == request.GET.get("incident")), None)
    if chosen_incident is not None:
        initial.update(incident=chosen_incident.pk, unit=chosen_incident.unit_id)
    if request.GET.get("article", "").isdigit():
        initial["article"] = request.GET["article"]
    form = RequestForm(request.POST or None, initial=initial)
    # Opened from a claim's or an item's page: name the item, not only its number.
    reference = form.data.get("article") if form.is_bound else initial.get("article")
    named = selectors.article_find(user=request.user, reference=str(reference or ""))
    if named is not None:
        form.fields["article"].help_text = _("This is: %(title)s · %(outlet)s") % {
            "title": named.title or named.url,
            "outlet": named.outlet.name,
        }
    set_choices(form.fields["unit"], [(u.pk, u.name) for u in units])
    set_choices(form.fields["claim"], [("", "—"), *((c.pk, c.title) for c in claims)])
    set_choices(form.fields["incident"], [("", "—"), *((i.pk, i.title) for i in incidents)])

    def save() -> ContentRequest:
        data = form.cleaned_data
        article = selectors.article_find(user=request.user, reference=data["article"])
        if article is None:
            raise ValidationError(_("No stored item has this number or address."))
        unit = next((u for u in units if u.pk == data["unit"]), None)
        if unit is None:
            raise PermissionDenied
        return services.request_create(
            user=request.user,
            data=services.RequestData(
                unit=unit,
                article=article,
                kind=data["kind"],
                addressee_kind=data["addressee_kind"],
                addressee=data["addressee"],
                legal_basis=data["legal_basis"],
                text_sent=data["text_sent"],
                sent_at=data["sent_at"],
                deadline=data["deadline"],
                claim=next((c for c in claims if c.pk == data["claim"]), None),
                incident=next((i for i in incidents if i.pk == data["incident"]), None),
            ),
        )

    return form_page(
        request,
        form,
        save=save,
        done=lambda created: redirect("claims:request_detail", pk=created.pk),
        title=_("Record a correction or removal request"),
        message=_("The request is recorded; Loa will check the item 1, 6, 24 and 72 hours after it was sent."),
        context={"intro": _("Record a request already sent. Loa keeps the archived copy of the item as evidence.")},
    )


@login_required
def request_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _request(request, pk)
    return render(
        request, "claims/request_detail.html", {"view": selectors.request_view(user=request.user, request=item)}
    )


@login_required
@require_POST
def request_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _request(request, pk)
    try:
        services.request_close(user=request.user, request=item)
    except (ValidationError, PermissionDenied) as error:
        fail(request, error)
    else:
        messages.success(request, _("The request is closed; its item is no longer checked."))
    return redirect("claims:request_detail", pk=item.pk)


@login_required
def request_evidence_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    item = _request(request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    try:
        content = evidence_bytes(item, fmt)
    except ConversionError as error:
        messages.error(request, _("The PDF could not be made: %(error)s") % {"error": error})
        return redirect("claims:request_detail", pk=item.pk)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="ban-luu-yeu-cau-{item.pk}.{fmt}"'
    return response
