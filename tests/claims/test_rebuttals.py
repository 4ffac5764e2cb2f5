"""The rebuttal library: versioned arguments with evidence, four-eyes review and a leader's
approval, use on incidents and in draft statements, the library page and the claim's panel."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from loa.accounts.models import Role, User
from loa.accounts.scoping import SYSTEM
from loa.claims import rebuttals_selectors as selectors
from loa.claims.models import Claim, Evidence, EvidenceKind, Rebuttal, RebuttalStatus, RebuttalVersion
from loa.claims.rebuttals import (
    EvidenceSpec,
    rebuttal_approve,
    rebuttal_in_use,
    rebuttal_review,
    rebuttal_save,
    rebuttal_use_in_incident,
    rebuttal_use_in_statement,
)
from loa.incidents.models import Incident, StatementStatus, TimelineKind
from loa.incidents.services import incident_close, incident_open, statement_append, statement_review
from tests.conftest import login
from tests.factories import Tree, make_article, make_spokesperson, make_user
from tests.factories.claims import make_claim
from tests.factories.directives import make_directive
from tests.factories.incidents import make_statement
from tests.factories.rebuttals import make_rebuttal

pytestmark = pytest.mark.django_db

TEXT = "Báo cáo tài chính năm 2025 của Tập đoàn đã được kiểm toán độc lập, lợi nhuận sau thuế dương."


@pytest.fixture
def claim(tree: Tree) -> Claim:
    return make_claim(tree.evn, "EVN")


@pytest.fixture
def second_staff(tree: Tree) -> User:
    return make_user(Role.UNIT_STAFF, unit=tree.evn, username="evn.staff2")


def _approved(claim: Claim, users: dict[str, User], reviewer: User, text: str = TEXT) -> RebuttalVersion:
    version = rebuttal_save(user=users["evn_staff"], claim=claim, title="Đã kiểm toán", text=text)
    rebuttal_review(user=reviewer, version=version)
    return rebuttal_approve(user=users["evn_leader"], version=version)


def test_a_version_is_reviewed_by_another_and_approved_by_a_leader(
    claim: Claim, users: dict[str, User], second_staff: User, tree: Tree
) -> None:
    directive = make_directive(tree.board)
    article = make_article("Tập đoàn công bố báo cáo tài chính đã kiểm toán")
    version = rebuttal_save(
        user=users["evn_staff"],
        claim=claim,
        title="Đã kiểm toán",
        text=TEXT,
        evidence=[
            EvidenceSpec(kind=EvidenceKind.FIGURE, description="Lợi nhuận 1.200 tỷ đồng", reference="BCTC 2025"),
            EvidenceSpec(kind=EvidenceKind.DOCUMENT, description="Kết luận của Đảng ủy Khối", document=directive),
            EvidenceSpec(kind=EvidenceKind.ARTICLE, description="Báo đã đưa tin", article=article),
        ],
    )
    assert (version.number, version.status) == (1, RebuttalStatus.DRAFT)
    assert version.evidence.count() == 3
    with pytest.raises(ValidationError):
        rebuttal_review(user=users["evn_staff"], version=version)  # the author
    with pytest.raises(PermissionDenied):
        rebuttal_review(user=users["pvn_staff"], version=version)
    with pytest.raises(ValidationError):
        rebuttal_approve(user=users["evn_leader"], version=version)  # not reviewed yet
    rebuttal_review(user=second_staff, version=version)
    with pytest.raises(PermissionDenied):
        rebuttal_approve(user=second_staff, version=version)  # staff do not approve
    rebuttal_approve(user=users["evn_leader"], version=version)
    version.refresh_from_db()
    assert version.status == RebuttalStatus.APPROVED
    assert (version.reviewed_by, version.approved_by) == (second_staff, users["evn_leader"])
    assert rebuttal_in_use(version.rebuttal) == version


def test_editing_drafts_the_next_version_and_its_approval_supersedes_the_last(
    claim: Claim, users: dict[str, User], second_staff: User
) -> None:
    first = _approved(claim, users, second_staff)
    rebuttal = first.rebuttal
    second = rebuttal_save(
        user=users["evn_staff"], claim=claim, rebuttal=rebuttal, title="Đã kiểm toán", text=TEXT + " Bổ sung."
    )
    assert second.number == 2
    assert rebuttal_in_use(rebuttal) == first  # until the new one is approved
    # Editing the pending draft again changes it in place and sends it back to review.
    rebuttal_review(user=second_staff, version=second)
    again = rebuttal_save(user=second_staff, claim=claim, rebuttal=rebuttal, title="Đã kiểm toán", text="Bản sửa.")
    assert (again.pk, again.number, again.status, again.reviewed_by) == (second.pk, 2, RebuttalStatus.DRAFT, None)
    rebuttal_review(user=users["evn_staff"], version=again)  # drafted by the second staff member now
    rebuttal_approve(user=users["evn_leader"], version=again)
    first.refresh_from_db()
    assert first.status == RebuttalStatus.SUPERSEDED
    assert first.approved_by == users["evn_leader"]  # history keeps who approved it, and when
    assert rebuttal_in_use(rebuttal) == again
    assert [a.version.pk for a in selectors.approved_arguments(user=users["evn_staff"], claim=claim)] == [again.pk]


def test_bad_evidence_is_refused_and_nothing_is_saved(claim: Claim, users: dict[str, User], tree: Tree) -> None:
    incident = incident_open(user=SYSTEM, title="Sự cố hóa đơn", unit=tree.evn)
    draft = make_statement(incident, SYSTEM, make_spokesperson(tree.evn))
    cases = [
        EvidenceSpec(kind=EvidenceKind.FIGURE, description="Lợi nhuận 1.200 tỷ đồng"),  # no source
        EvidenceSpec(kind=EvidenceKind.STATEMENT, description="Thông cáo", statement=draft),  # not published
        EvidenceSpec(kind=EvidenceKind.DOCUMENT, description="Văn bản"),  # no document
        EvidenceSpec(kind=EvidenceKind.FIGURE, description=" ", reference="BCTC"),
    ]
    for spec in cases:
        with pytest.raises(ValidationError):
            rebuttal_save(user=users["evn_staff"], claim=claim, title="Lập luận", text=TEXT, evidence=[spec])
    assert not Rebuttal.objects.exists()
    assert not Evidence.objects.exists()
    with pytest.raises(PermissionDenied):
        rebuttal_save(user=users["evn_viewer"], claim=claim, title="Lập luận", text=TEXT)


def test_an_approved_argument_goes_on_an_incident_and_into_a_draft_statement(
    claim: Claim, users: dict[str, User], second_staff: User, tree: Tree
) -> None:
    version = _approved(claim, users, second_staff)
    Evidence.objects.create(version=version, kind=EvidenceKind.FIGURE, description="Lãi 1.200 tỷ", reference="BCTC")
    incident = incident_open(user=SYSTEM, title="Tin đồn thua lỗ", unit=tree.evn)
    entry = rebuttal_use_in_incident(user=users["evn_staff"], rebuttal=version.rebuttal, incident=incident)
    assert entry.kind == TimelineKind.NOTE
    assert TEXT in entry.text
    assert "Lãi 1.200 tỷ (BCTC)" in entry.text
    assert "Luận điệu EVN" in entry.text

    statement = make_statement(incident, users["evn_staff"], make_spokesperson(tree.evn), body="Mở đầu.")
    rebuttal_use_in_statement(user=users["evn_staff"], rebuttal=version.rebuttal, statement=statement)
    statement.refresh_from_db()
    assert statement.body == f"Mở đầu.\n\n{TEXT}"
    assert statement.status == StatementStatus.DRAFT

    statement_review(user=second_staff, statement=statement)
    with pytest.raises(ValidationError):
        statement_append(user=users["evn_staff"], statement=statement, text="Thêm.")
    with pytest.raises(PermissionDenied):
        rebuttal_use_in_incident(user=users["pvn_staff"], rebuttal=version.rebuttal, incident=incident)
    incident_close(user=users["evn_staff"], incident=incident, lessons="Phản bác kịp thời.")
    with pytest.raises(ValidationError):
        rebuttal_use_in_incident(user=users["evn_staff"], rebuttal=version.rebuttal, incident=incident)


def test_a_draft_argument_is_not_used(claim: Claim, users: dict[str, User], tree: Tree) -> None:
    version = rebuttal_save(user=users["evn_staff"], claim=claim, title="Chưa duyệt", text=TEXT)
    incident = incident_open(user=SYSTEM, title="Tin đồn", unit=tree.evn)
    with pytest.raises(ValidationError):
        rebuttal_use_in_incident(user=users["evn_staff"], rebuttal=version.rebuttal, incident=incident)
    assert not incident.timeline.filter(kind=TimelineKind.NOTE).exists()


def test_the_library_is_scoped_and_searched_without_marks(tree: Tree, users: dict[str, User]) -> None:
    from loa.analysis.models import Organisation

    make_rebuttal(make_claim(tree.evn, "EVN"), "EVN")
    make_rebuttal(make_claim(tree.pvn, "PVN"), "PVN")
    titles = [a.rebuttal.title for a in selectors.library(user=users["evn_staff"], query="KIEM TOAN doc lap")]
    assert titles == ["Lập luận EVN"]
    assert selectors.library(user=users["evn_staff"], query="thủy điện") == []
    assert len(selectors.library(user=users["bloc_staff"])) == 2
    organisation = Organisation.objects.create(name="Tập đoàn Điện lực Việt Nam", short_name="EVN")
    Claim.objects.get(title="Luận điệu EVN").organisations.add(organisation)
    chosen = selectors.approved_arguments(user=users["bloc_staff"], organisation=organisation)
    assert [a.rebuttal.title for a in chosen] == ["Lập luận EVN"]


def test_pages_draft_review_approve_and_use(
    claim: Claim, users: dict[str, User], second_staff: User, tree: Tree
) -> None:
    staff = login(users["evn_staff"])
    response = staff.post(
        reverse("claims:rebuttal_create", kwargs={"pk": claim.pk}),
        {
            "title": "Đã kiểm toán",
            "text": TEXT,
            "evidence-TOTAL_FORMS": "2",
            "evidence-INITIAL_FORMS": "0",
            "evidence-MIN_NUM_FORMS": "0",
            "evidence-MAX_NUM_FORMS": "30",
            "evidence-0-kind": "figure",
            "evidence-0-description": "Lợi nhuận 1.200 tỷ đồng",
            "evidence-0-reference": "Báo cáo tài chính 2025",
        },
    )
    rebuttal = Rebuttal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:rebuttal", kwargs={"pk": rebuttal.pk})
    version = rebuttal.versions.get()
    assert version.evidence.get().reference == "Báo cáo tài chính 2025"
    # A figure without its source stays on the form, with what was typed.
    refused = staff.post(
        reverse("claims:rebuttal_edit", kwargs={"pk": rebuttal.pk}),
        {
            "title": "Đã kiểm toán",
            "text": "Văn bản mới",
            "evidence-TOTAL_FORMS": "1",
            "evidence-INITIAL_FORMS": "0",
            "evidence-MIN_NUM_FORMS": "0",
            "evidence-MAX_NUM_FORMS": "30",
            "evidence-0-kind": "figure",
            "evidence-0-description": "Con số không nguồn",
        },
    )
    assert refused.status_code == 200
    assert "Văn bản mới" in refused.content.decode()
    page = login(second_staff).get(reverse("claims:rebuttal", kwargs={"pk": rebuttal.pk})).content.decode()
    assert "Lợi nhuận 1.200 tỷ đồng" in page
    assert 'data-testid="version-1"' in page

    def act(user: User, action: str) -> None:
        url = reverse("claims:rebuttal_action", kwargs={"pk": rebuttal.pk, "version_pk": version.pk, "action": action})
        assert login(user).post(url).status_code == 302

    act(second_staff, "review")
    waiting = staff.get(reverse("claims:rebuttal", kwargs={"pk": rebuttal.pk})).content.decode()
    assert users["evn_leader"].get_full_name() in waiting.split('data-testid="rebuttal-next">', 1)[1]
    act(users["evn_leader"], "approve")
    version.refresh_from_db()
    assert version.status == RebuttalStatus.APPROVED

    library = staff.get(reverse("claims:rebuttals"), {"q": "kiểm toán"}).content.decode()
    assert "Đã kiểm toán" in library
    assert "Lợi nhuận 1.200 tỷ đồng" in library

    incident = incident_open(user=SYSTEM, title="Tin đồn thua lỗ", unit=tree.evn)
    use_url = reverse("claims:rebuttal_use", kwargs={"pk": rebuttal.pk})
    assert "Tin đồn thua lỗ" in staff.get(use_url).content.decode()
    done = staff.post(use_url, {"target": f"incident:{incident.pk}"})
    assert done["Location"] == reverse("incidents:detail", kwargs={"pk": incident.pk})
    assert incident.timeline.filter(kind=TimelineKind.NOTE, text__contains=TEXT).exists()
    foreign = incident_open(user=SYSTEM, title="Sự cố PVN", unit=tree.pvn)
    assert staff.post(use_url, {"target": f"incident:{foreign.pk}"}).status_code == 200  # not offered
    assert not Incident.objects.get(pk=foreign.pk).timeline.filter(kind=TimelineKind.NOTE).exists()


def test_the_claim_panel_shows_arguments_their_state_and_a_new_argument_link(
    claim: Claim, users: dict[str, User], second_staff: User
) -> None:
    version = _approved(claim, users, second_staff)
    rebuttal_save(user=users["evn_staff"], claim=claim, rebuttal=version.rebuttal, title="Đã kiểm toán", text="Bản 2")
    request = RequestFactory().get("/")
    request.user = users["evn_staff"]
    html = render_to_string("claims/_rebuttals.html", {"claim": claim, "request": request})
    assert TEXT in html
    assert "Bản 2" not in html
    assert reverse("claims:rebuttal_create", kwargs={"pk": claim.pk}) in html
    assert reverse("claims:rebuttal_use", kwargs={"pk": version.rebuttal_id}) in html
    request.user = users["evn_viewer"]
    html = render_to_string("claims/_rebuttals.html", {"claim": claim, "request": request})
    assert reverse("claims:rebuttal_create", kwargs={"pk": claim.pk}) not in html
