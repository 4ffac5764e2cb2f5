"""The claims register: saving claims, matching stored articles, staff decisions that teach the
matcher, dormancy and the alert of a claim's return, and the pages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from loa.accounts.models import User
from loa.alerts.models import Alert, AlertRule, RuleKind
from loa.alerts.services import alerts_evaluate_articles
from loa.analysis.models import SavedQuery
from loa.articles import hooks
from loa.articles.models import Article
from loa.claims.models import Claim, ClaimExample, ClaimMatch, ClaimStatus, MatchStatus, MatchVia
from loa.claims.services import (
    ClaimInput,
    claim_example_add,
    claim_match_decide,
    claim_save,
    claims_mark_dormant,
    claims_match_stored,
    split_examples,
)
from loa.scheduling import registry
from tests.conftest import login
from tests.factories import Tree, make_article, make_saved_query

pytestmark = pytest.mark.django_db

EXAMPLES: list[str] = json.loads((Path(__file__).parent / "fixtures" / "dev.json").read_text(encoding="utf-8"))[
    "examples"
]
PARAPHRASE = (
    "Theo một trang mạng, Vinacomin đem than khai thác ở Quảng Ninh bán với giá bèo cho đối tác nước ngoài, "
    "rồi chính doanh nghiệp này lại bỏ tiền tỷ mua than ngoại với giá cắt cổ."
)
DECOY = "Năm nay TKV nhập khẩu khoảng 10 triệu tấn than để pha trộn, cung cấp cho các nhà máy nhiệt điện theo hợp đồng dài hạn."


def register(tree: Tree, user: User, *, query: str = "", examples: list[str] | None = None) -> Claim:
    return claim_save(
        user=user,
        data=ClaimInput(
            unit=tree.evn,
            title="TKV bán than rẻ, nhập than đắt",
            statement="TKV bán than giá rẻ ra nước ngoài rồi nhập khẩu than giá cao.",
            why_false="Than xuất khẩu là loại trong nước không dùng; than nhập để phối trộn.",
            query=query or '"xổ số kiến thiết"',  # a rule that matches none of these articles
            examples=EXAMPLES if examples is None else examples,
        ),
    )


def test_only_writers_of_the_unit_register(tree: Tree, users: dict[str, User]) -> None:
    with pytest.raises(PermissionDenied):
        register(tree, users["evn_viewer"])
    with pytest.raises(PermissionDenied):
        register(tree, users["pvn_staff"])
    claim = register(tree, users["evn_staff"])
    with pytest.raises(PermissionDenied):
        claim_example_add(user=users["pvn_staff"], claim=claim, text="Một ví dụ.")


def test_a_typed_query_becomes_a_saved_query_named_after_the_claim(tree: Tree, users: dict[str, User]) -> None:
    claim = register(tree, users["evn_staff"], query='than AND "giá rẻ"')
    assert claim.saved_query is not None
    assert claim.saved_query.name == claim.title
    assert claim.saved_query.unit == tree.evn
    assert claim.examples.filter(positive=True).count() == 3
    with pytest.raises(ValidationError):
        claim_save(
            user=users["evn_staff"],
            data=ClaimInput(unit=tree.evn, title="Không luật", statement="Nói gì đó.", why_false="Vì sao."),
        )


def test_a_query_typed_again_on_edit_rewrites_the_claims_own_query(tree: Tree, users: dict[str, User]) -> None:
    claim = register(tree, users["evn_staff"], query='than AND "giá rẻ"')
    own = claim.saved_query
    assert own is not None
    edited = claim_save(
        user=users["evn_staff"],
        claim=claim,
        data=ClaimInput(
            unit=tree.evn,
            title="TKV bán rẻ than",
            statement=claim.statement,
            why_false=claim.why_false,
            query='than AND ("giá rẻ" OR "giá bèo")',
        ),
    )
    assert edited.saved_query == own
    own.refresh_from_db()
    assert own.query == 'than AND ("giá rẻ" OR "giá bèo")'
    assert own.name == "TKV bán rẻ than"
    assert SavedQuery.objects.count() == 1
    assert AlertRule.objects.filter(kind=RuleKind.CLAIM_RETURN).count() == 1


def test_an_existing_saved_query_may_be_the_rule_and_the_return_rule_is_made_once(
    tree: Tree, users: dict[str, User]
) -> None:
    saved = make_saved_query(tree.evn, "than")
    data = ClaimInput(unit=tree.evn, title="Than", statement="Bán rẻ than.", why_false="Sai.", saved_query=saved)
    claim = claim_save(user=users["evn_staff"], data=data)
    claim_save(user=users["evn_staff"], data=data, claim=claim)
    rules = AlertRule.objects.filter(kind=RuleKind.CLAIM_RETURN, saved_query=saved, unit=tree.evn)
    assert rules.count() == 1


def test_example_blocks_are_split_on_blank_lines() -> None:
    assert split_examples("Một.\nvẫn một.\n\n\nHai.\n") == ["Một. vẫn một.", "Hai."]
    # As a browser sends a textarea: CRLF, and a "blank" line holding spaces.
    assert split_examples("Một.\r\nvẫn một.\r\n  \r\nHai.") == ["Một. vẫn một.", "Hai."]


def test_the_hook_proposes_paraphrases_by_similarity_and_rule_matches(tree: Tree, users: dict[str, User]) -> None:
    assert "match claims" in hooks.registered()
    assert hooks.registered().index("match claims") > hooks.registered().index("attach coverage to open incidents")
    claim = register(tree, users["evn_staff"], query='"giá vàng"')
    paraphrase = make_article("Nghịch lý ngành than", body=PARAPHRASE)
    decoy = make_article("Nhập khẩu than để pha trộn", body=DECOY)
    other = make_article(
        "Giá vàng hôm nay", body="Giá vàng trong nước tăng nhẹ theo giá thế giới, mỗi lượng thêm 200.000 đồng."
    )
    hooks.articles_stored(article_ids=[paraphrase.pk, decoy.pk, other.pk])
    matches = {m.article_id: m for m in ClaimMatch.objects.filter(claim=claim)}
    assert matches[paraphrase.pk].via == MatchVia.SIMILARITY
    assert matches[paraphrase.pk].score is not None
    assert decoy.pk not in matches
    assert matches[other.pk].via == MatchVia.RULE
    # Idempotent: the sweep may run the step again.
    assert claims_match_stored(article_ids=[paraphrase.pk, other.pk]) == 0


def test_a_rejected_decoy_is_not_proposed_again_for_a_near_identical_text(tree: Tree, users: dict[str, User]) -> None:
    claim = register(tree, users["evn_staff"])
    # A loose example makes the decoy a proposal, as a real register's wide examples would.
    claim_example_add(user=users["evn_staff"], claim=claim, text="TKV nhập khẩu than cho các nhà máy nhiệt điện.")
    decoy = make_article("Nhập khẩu than để pha trộn", body=DECOY)
    claims_match_stored(article_ids=[decoy.pk])
    match = ClaimMatch.objects.get(claim=claim, article=decoy)
    claim_match_decide(user=users["evn_staff"], match=match, confirm=False)
    assert ClaimExample.objects.filter(claim=claim, positive=False, article=decoy).exists()
    again = make_article(
        "Nhập khẩu than để pha trộn", body=DECOY.replace("10 triệu", "11 triệu"), outlet_domain="baokhac.vn"
    )
    claims_match_stored(article_ids=[again.pk])
    assert not ClaimMatch.objects.filter(claim=claim, article=again).exists()


def test_a_confirmed_paraphrase_raises_recall_on_a_near_variant(tree: Tree, users: dict[str, User]) -> None:
    # One terse example: a paraphrase in other words is not proposed by it alone.
    claim = register(tree, users["evn_staff"], examples=[EXAMPLES[0]])
    variant_text = PARAPHRASE.replace("Quảng Ninh", "Cẩm Phả").replace("tiền tỷ", "hàng tỷ đồng")
    before = make_article("Than đi rẻ về đắt", body=variant_text)
    claims_match_stored(article_ids=[before.pk])
    assert not ClaimMatch.objects.filter(claim=claim, article=before).exists()
    # Staff add the paraphrase they found by hand and confirm it.
    found = make_article("Nghịch lý ngành than", body=PARAPHRASE, outlet_domain="diendan.vn")
    match = ClaimMatch.objects.create(claim=claim, article=found, via=MatchVia.STAFF)
    when = timezone.now() - dt.timedelta(days=3)
    found.published_at = when
    found.save(update_fields=["published_at"])
    claim_match_decide(user=users["evn_staff"], match=match, confirm=True)
    claim.refresh_from_db()
    assert claim.first_seen_at == when
    assert claim.last_seen_at == when
    assert claim.examples.filter(positive=True, article=found).exists()
    variant = make_article("Than đi rẻ về đắt", body=variant_text, outlet_domain="baokhac.vn")
    claims_match_stored(article_ids=[variant.pk])
    assert ClaimMatch.objects.get(claim=claim, article=variant).status == MatchStatus.PROPOSED


def test_a_changed_decision_withdraws_what_the_article_taught(tree: Tree, users: dict[str, User]) -> None:
    claim = register(tree, users["evn_staff"])
    article = make_article("Nghịch lý ngành than", body=PARAPHRASE)
    match = ClaimMatch.objects.create(claim=claim, article=article, via=MatchVia.STAFF)
    claim_match_decide(user=users["evn_staff"], match=match, confirm=True)
    assert claim.examples.filter(article=article, positive=True).exists()
    claim_match_decide(user=users["evn_staff"], match=match, confirm=False)
    assert not claim.examples.filter(article=article, positive=True).exists()
    assert claim.examples.filter(article=article, positive=False).count() == 1


def test_a_quiet_claim_becomes_dormant_and_its_return_raises_one_alert(tree: Tree, users: dict[str, User]) -> None:
    assert "claims_dormant" in {spec.name for spec in registry.specs()}
    claim = register(tree, users["evn_staff"])
    claim.last_seen_at = timezone.now() - dt.timedelta(days=40)
    claim.save(update_fields=["last_seen_at"])
    assert claims_mark_dormant(now=timezone.now() - dt.timedelta(days=20)) == 0
    assert claims_mark_dormant() == 1
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DORMANT
    first = make_article("Nghịch lý ngành than", body=PARAPHRASE)
    claims_match_stored(article_ids=[first.pk])
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WATCHING
    alerts = Alert.objects.filter(rule__kind=RuleKind.CLAIM_RETURN)
    assert alerts.count() == 1
    assert alerts.get().article == first
    # A second article of the same return raises nothing more.
    second = make_article("Than đi rẻ về đắt", body=PARAPHRASE.replace("Quảng Ninh", "Cẩm Phả"))
    claims_match_stored(article_ids=[second.pk])
    assert alerts.count() == 1
    # The alerts module's own evaluation leaves the claim's rule alone.
    assert alerts_evaluate_articles(article_ids=[first.pk, second.pk]) == []
    page = login(users["evn_staff"]).get(reverse("alerts:detail", kwargs={"pk": alerts.get().pk}))
    assert page.status_code == 200
    assert claim.title in page.content.decode()


def test_the_pages(tree: Tree, users: dict[str, User]) -> None:
    staff = login(users["evn_staff"])
    saved = make_saved_query(tree.evn, "than")
    response = staff.post(
        reverse("claims:create"),
        {
            "unit": tree.evn.pk,
            "title": "TKV bán than rẻ",
            "statement": "TKV bán than giá rẻ ra nước ngoài.",
            "why_false": "Sai sự thật.",
            "saved_query": saved.pk,
            "status": ClaimStatus.WATCHING,
            "dormant_after_days": 30,
            "first_seen": "05/03/2025",
            "examples": EXAMPLES[0] + "\n\n" + EXAMPLES[1],
        },
    )
    claim = Claim.objects.get(title="TKV bán than rẻ")
    assert response.status_code == 302
    assert claim.examples.count() == 2
    assert timezone.localtime(claim.first_seen_at).date() == dt.date(2025, 3, 5)
    article = make_article("Nghịch lý ngành than", body=PARAPHRASE)
    claims_match_stored(article_ids=[article.pk])
    match = ClaimMatch.objects.get(claim=claim, article=article)
    page = staff.get(reverse("claims:detail", kwargs={"pk": claim.pk}))
    assert page.status_code == 200
    assert "Nghịch lý ngành than" in page.content.decode()
    url = reverse("claims:match_decide", kwargs={"pk": claim.pk, "match_pk": match.pk})
    assert staff.post(url, {"decision": "confirm"}).status_code == 302
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    page = staff.get(reverse("claims:detail", kwargs={"pk": claim.pk}))
    content = page.content.decode()
    assert 'id="claim-chart"' in content
    assert "Báo Thử" in content
    listing = staff.get(reverse("claims:list")).content.decode()
    assert reverse("claims:detail", kwargs={"pk": claim.pk}) in listing
    assert reverse("claims:create") in listing
    assert reverse("claims:create") not in login(users["evn_viewer"]).get(reverse("claims:list")).content.decode()
    assert login(users["pvn_staff"]).get(reverse("claims:detail", kwargs={"pk": claim.pk})).status_code == 404


def test_the_claim_page_counts_confirmed_coverage_by_day_outlet_and_kind(tree: Tree, users: dict[str, User]) -> None:
    from loa.claims.selectors import claim_view

    claim = register(tree, users["evn_staff"])
    start = timezone.now() - dt.timedelta(days=10)
    for offset, domain in ((0, "baomot.vn"), (3, "baohai.vn"), (3, "baomot.vn")):
        article = make_article(
            f"Tin {offset} {domain}", published_at=start + dt.timedelta(days=offset), outlet_domain=domain
        )
        match = ClaimMatch.objects.create(claim=claim, article=article, via=MatchVia.STAFF)
        claim_match_decide(user=users["evn_staff"], match=match, confirm=True)
    view = claim_view(claim=claim)
    assert view.confirmed == 3
    assert [n for _day, n in view.by_day] == [1, 2]
    chart = view.chart["datasets"]
    assert isinstance(chart, list)
    assert chart[0]["data"] == [1, 0, 0, 2]
    assert sorted(n for _name, n in view.by_outlet) == [1, 2]
    assert [n for _kind, n in view.by_channel] == [3]


def test_the_claim_page_lists_the_newest_confirmed_items_with_a_request_link(
    tree: Tree, users: dict[str, User]
) -> None:
    claim = register(tree, users["evn_staff"])
    start = timezone.now() - dt.timedelta(days=10)
    for offset in (0, 4, 2):
        article = make_article(f"Tin ngày {offset}", published_at=start + dt.timedelta(days=offset))
        match = ClaimMatch.objects.create(claim=claim, article=article, via=MatchVia.STAFF)
        claim_match_decide(user=users["evn_staff"], match=match, confirm=True)
    html = login(users["evn_staff"]).get(reverse("claims:detail", args=[claim.pk])).content.decode()
    recent = html[html.index('data-testid="claim-recent"') :]
    # Newest first, each with a link that opens the request form on that item and this claim.
    assert recent.index("Tin ngày 4") < recent.index("Tin ngày 2") < recent.index("Tin ngày 0")
    newest = Article.objects.get(title="Tin ngày 4")
    assert f"{reverse('claims:request_new')}?claim={claim.pk}&amp;article={newest.pk}" in recent
