"""The rebuttal panel of a claim's page: `{% claim_rebuttals claim %}` (in claims/_rebuttals.html)."""

from __future__ import annotations

from typing import Any

from django import template

from loa.accounts import roles
from loa.accounts.scoping import user_can
from loa.claims.models import Claim
from loa.claims.rebuttals_selectors import claim_rebuttals as rows_of

register = template.Library()


@register.inclusion_tag("claims/rebuttal_panel.html", takes_context=True)
def claim_rebuttals(context: template.Context, claim: Claim) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "claim": claim,
        "rows": rows_of(claim=claim),
        "can_write": user is not None and user_can(user, roles.WRITE, claim.unit),
    }
