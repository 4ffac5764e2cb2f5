"""The requests panel of a claim's page: `{% claim_requests claim %}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from loa.accounts import roles
from loa.accounts.scoping import user_can
from loa.claims.models import Claim
from loa.claims.requests_selectors import request_overdue, requests_of_claim

register = template.Library()


@register.inclusion_tag("claims/_requests_panel.html", takes_context=True)
def claim_requests(context: dict[str, Any], claim: Claim) -> dict[str, Any]:
    user = context["request"].user
    requests = list(requests_of_claim(user=user, claim=claim))
    return {
        "claim": claim,
        "rows": [(item, request_overdue(item)) for item in requests],
        "can_add": user_can(user, roles.WRITE, claim.unit),
        "new_url": f"{reverse('claims:request_new')}?claim={claim.pk}",
        "empty": _("No request sent about this claim."),
    }
