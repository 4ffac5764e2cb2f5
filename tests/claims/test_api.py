"""The read API's claims and requests: what a unit's key sees, with the counts the pages show."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from loa.accounts.models import User
from loa.accounts.services import api_token_create
from loa.claims.models import ClaimMatch, MatchStatus, Outcome
from tests.factories import Tree, make_article
from tests.factories.claims import make_claim, make_content_request

pytestmark = pytest.mark.django_db


def get(user: User, path: str, **params: str) -> dict[str, Any]:
    key = api_token_create(user=user, name="thử").key
    response = Client().get(f"/api/v1/{path}", params, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


def test_claims_with_their_coverage_and_requests_with_their_outcome(tree: Tree, users: dict[str, User]) -> None:
    claim = make_claim(tree.evn, "EVN")
    ClaimMatch.objects.create(claim=claim, article=make_article("Bài một"), via="rule", status=MatchStatus.CONFIRMED)
    ClaimMatch.objects.create(claim=claim, article=make_article("Bài hai"), via="similarity")
    make_claim(tree.pvn, "PVN")
    request = make_content_request(tree.evn, "EVN", claim=claim)
    request.outcome = Outcome.REMOVED
    request.save(update_fields=["outcome"])

    claims = get(users["evn_staff"], "claims")
    assert claims["count"] == 1
    (row,) = claims["items"]
    assert (row["title"], row["status"], row["confirmed"], row["to_check"]) == ("Luận điệu EVN", "watching", 1, 1)
    requests = get(users["evn_staff"], "claims/requests", state="open")
    (item,) = requests["items"]
    assert (item["claim_id"], item["outcome"], item["kind"]) == (claim.pk, "removed", request.kind)
    assert get(users["bloc_staff"], "claims")["count"] == 2


def test_bad_filters_are_refused_with_a_message(users: dict[str, User]) -> None:
    key = api_token_create(user=users["evn_staff"], name="thử").key
    response = Client().get("/api/v1/claims", {"status": "lost"}, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 400
    assert "watching" in response.json()["detail"]
