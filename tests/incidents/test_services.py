"""Running an incident: playbook steps and deadlines, the timeline, statements with their
approvals and spokespersons, and the closing review's figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.alerts.models import AlertStatus
from loa.alerts.services import alerts_evaluate_articles, rule_save
from loa.analysis.models import ArticleAnalysis, Organisation, Story
from loa.articles.hooks import articles_stored
from loa.articles.models import Article
from loa.incidents.models import IncidentStatus, StatementStatus, TimelineKind
from loa.incidents.services import (
    StepSpec,
    incident_close,
    incident_note,
    incident_open,
    incident_open_from_alert,
    incident_review,
    incidents_attach_coverage,
    playbook_save,
    statement_approve,
    statement_publish,
    statement_review,
    statement_save,
    step_done,
)
from tests.factories import Tree, coverage, make_playbook, make_spokesperson, make_statement, unit_of

pytestmark = pytest.mark.django_db


def test_a_playbook_gives_the_incident_its_steps_and_deadlines(tree: Tree, users: dict[str, User]) -> None:
    playbook = make_playbook(first_response_hours=4)
    opened = timezone.now()
    incident = incident_open(
        user=users["evn_staff"], title="Tin sai về EVN", unit=tree.evn, playbook=playbook, now=opened
    )
    steps = list(incident.steps.all())
    assert [s.title for s in steps] == [s.title for s in playbook.steps.all()]
    assert [s.due_at - opened for s in steps] == [dt.timedelta(hours=h) for h in (1, 3, 24)]
    assert incident.first_response_due == opened + dt.timedelta(hours=4)
    # Editing the library later does not move a running incident's deadlines.
    playbook_save(user=users["bloc_staff"], playbook=playbook, name=playbook.name, steps=[StepSpec("Một bước", 9)])
    assert incident.steps.count() == 3
    assert playbook.steps.count() == 1
    assert incident.timeline.get().kind == TimelineKind.OPENED


def test_only_writers_of_the_unit_run_an_incident(tree: Tree, users: dict[str, User]) -> None:
    with pytest.raises(PermissionDenied):
        incident_open(user=users["pvn_staff"], title="X", unit=tree.evn)
    incident = incident_open(user=users["evn_staff"], title="Sự cố", unit=tree.evn)
    for who in ("evn_viewer", "evn_leader", "pvn_staff"):
        with pytest.raises(PermissionDenied):
            incident_note(user=users[who], incident=incident, text="ghi chú")
    incident_note(user=users["bloc_staff"], incident=incident, text="Đã họp nhóm")
    with pytest.raises(PermissionDenied):
        playbook_save(user=users["evn_staff"], name="Của đơn vị", steps=[StepSpec("Bước", 1)])
    with pytest.raises(ValidationError):
        playbook_save(user=users["bloc_staff"], name="Rỗng", steps=[])


def test_an_incident_opened_from_an_alert_follows_its_story(evn: Organisation, users: dict[str, User]) -> None:
    rule_save(
        name="EVN tiêu cực", unit=unit_of(evn), kind="negative_prominent", organisation=evn, suppression_minutes=0
    )
    first = coverage(domain="bao1.vn")
    (alert,) = alerts_evaluate_articles(article_ids=[first.pk])
    incident = incident_open_from_alert(user=users["evn_staff"], alert=alert, playbook=make_playbook())
    assert incident.unit == unit_of(evn)
    assert incident.organisation == evn
    assert incident.alert == alert
    story = Story.objects.get(analyses__article=first)
    assert list(incident.stories.all()) == [story]
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    # Opening it again gives the same incident.
    assert incident_open_from_alert(user=users["evn_staff"], alert=alert, playbook=None) == incident
    # The article that raised it is on the timeline; new copies of the story join it once.
    coverage_entries = incident.timeline.filter(kind=TimelineKind.COVERAGE)
    assert [e.article_id for e in coverage_entries] == [first.pk]
    copy = coverage(domain="bao2.vn", tone="neutral")
    assert ArticleAnalysis.objects.get(article=copy).story_id == story.pk
    articles_stored(article_ids=[copy.pk])  # the after-store pipeline attaches coverage
    assert incidents_attach_coverage(articles=[copy]) == 0  # already there
    assert sorted(e.article_id or 0 for e in coverage_entries.all()) == sorted([first.pk, copy.pk])


def test_statements_go_draft_reviewed_approved_published(tree: Tree, users: dict[str, User]) -> None:
    incident = incident_open(user=users["evn_staff"], title="Sự cố", unit=tree.evn, playbook=make_playbook())
    spokesperson = make_spokesperson(tree.evn)
    statement = make_statement(incident, users["evn_staff"], spokesperson)
    assert statement.status == StatementStatus.DRAFT
    with pytest.raises(ValidationError, match="khác người soạn"):
        statement_review(user=users["evn_staff"], statement=statement)
    with pytest.raises(ValidationError):
        statement_approve(user=users["evn_leader"], statement=statement)
    statement_review(user=users["bloc_staff"], statement=statement)
    with pytest.raises(PermissionDenied):
        statement_approve(user=users["evn_staff"], statement=statement)
    with pytest.raises(ValidationError):
        statement_publish(user=users["evn_staff"], statement=statement)
    statement_approve(user=users["evn_leader"], statement=statement)
    with pytest.raises(ValidationError):  # approved text is final
        statement_save(
            user=users["evn_staff"],
            incident=incident,
            statement=statement,
            title="Sửa",
            body="Sửa",
            channel="release",
            spokesperson=spokesperson,
        )
    published_at = incident.opened_at + dt.timedelta(hours=3)
    statement_publish(
        user=users["evn_staff"], statement=statement, url="https://evn.example.vn/tin/1", now=published_at
    )
    incident.refresh_from_db()
    assert incident.first_response_at == published_at
    assert incident.status == IncidentStatus.RESPONDING
    kinds = list(incident.timeline.values_list("kind", flat=True))
    assert kinds.count(TimelineKind.STATEMENT) == 4  # drafted, reviewed, approved, published


def test_an_edit_after_review_needs_a_new_review(tree: Tree, users: dict[str, User]) -> None:
    incident = incident_open(user=users["evn_staff"], title="Sự cố", unit=tree.evn)
    spokesperson = make_spokesperson(tree.evn)
    statement = make_statement(incident, users["evn_staff"], spokesperson)
    statement_review(user=users["bloc_staff"], statement=statement)
    edited = statement_save(
        user=users["evn_staff"],
        incident=incident,
        statement=statement,
        title="Thông cáo (sửa)",
        body="Nội dung mới.",
        channel="release",
        spokesperson=spokesperson,
    )
    assert edited.status == StatementStatus.DRAFT
    assert edited.reviewed_by is None


def test_only_an_authorised_spokesperson_speaks_on_their_channels(tree: Tree, users: dict[str, User]) -> None:
    incident = incident_open(user=users["evn_staff"], title="Sự cố", unit=tree.evn_a)
    own = make_spokesperson(tree.evn_a, "Người của đơn vị", channels=("release",))
    above = make_spokesperson(tree.evn, "Người của cấp trên", channels=("press_conference",))
    elsewhere = make_spokesperson(tree.pvn, "Người của PVN")
    expired = make_spokesperson(tree.evn_a, "Hết hạn")
    expired.valid_to = timezone.localdate() - dt.timedelta(days=1)
    expired.save()
    writer = users["evn_staff"]
    make_statement(incident, writer, own)
    make_statement(incident, writer, above, channel="press_conference")
    with pytest.raises(ValidationError, match="kênh này"):
        make_statement(incident, writer, own, channel="interview")
    with pytest.raises(ValidationError, match="không phát ngôn cho"):
        make_statement(incident, writer, elsewhere)
    with pytest.raises(ValidationError, match="không có quyền phát ngôn"):
        make_statement(incident, writer, expired)


def test_closing_review_measures_response_time_and_coverage_before_and_after(
    evn: Organisation, users: dict[str, User]
) -> None:
    now = timezone.now()
    opened = now - dt.timedelta(days=2)
    before = [coverage(domain=f"truoc{n}.vn", tone="negative") for n in range(3)]
    Article.objects.filter(pk__in=[a.pk for a in before]).update(
        published_at=opened - dt.timedelta(hours=5), created_at=opened - dt.timedelta(hours=5)
    )
    story = Story.objects.get(analyses__article=before[0])
    incident = incident_open(
        user=users["evn_staff"],
        title="Sự cố",
        unit=unit_of(evn),
        organisation=evn,
        stories=[story],
        playbook=make_playbook(first_response_hours=4),
        now=opened,
    )
    assert incident.timeline.filter(kind=TimelineKind.COVERAGE).count() == 3  # how it started
    spokesperson = make_spokesperson(unit_of(evn))
    statement = make_statement(incident, users["evn_staff"], spokesperson)
    statement_review(user=users["bloc_staff"], statement=statement)
    statement_approve(user=users["evn_leader"], statement=statement)
    statement_publish(user=users["evn_staff"], statement=statement, now=opened + dt.timedelta(hours=2))
    middle = coverage(domain="giua.vn", tone="negative")
    after = [coverage(domain=f"sau{n}.vn", tone=tone) for n, tone in enumerate(["neutral", "positive"])]
    Article.objects.filter(pk=middle.pk).update(published_at=opened + dt.timedelta(hours=1))
    Article.objects.filter(pk__in=[a.pk for a in after]).update(published_at=opened + dt.timedelta(hours=30))
    step_done(user=users["evn_staff"], step=incident.steps.all()[0])
    with pytest.raises(ValidationError):
        incident_close(user=users["evn_staff"], incident=incident, lessons="  ")
    incident_close(user=users["evn_staff"], incident=incident, lessons="Phản hồi nhanh, cần thêm số liệu.", now=now)
    review = incident.review
    assert review["first_response_minutes"] == 120
    assert review["first_response_on_time"] is True
    coverage_review = review["coverage"]
    assert coverage_review["before"]["articles"] == 3
    assert coverage_review["before"]["negative"] == 3
    assert coverage_review["until_response"] == {
        "articles": 1,
        "negative": 1,
        "negative_share": 1.0,
        "per_day": 12.0,
        "hours": 2.0,
    }
    assert coverage_review["after_response"]["articles"] == 2
    assert coverage_review["after_response"]["negative"] == 0
    assert review["steps_total"] == 3
    assert review["steps_done"] == 1
    assert review["steps_late"] == 3  # the one done was done two days late
    assert incident.status == IncidentStatus.CLOSED
    with pytest.raises(ValidationError, match="đã đóng"):
        incident_note(user=users["evn_staff"], incident=incident, text="muộn")
    # A closed incident no longer collects coverage.
    late = coverage(domain="muon.vn")
    assert incidents_attach_coverage(articles=[late]) == 0


def test_without_a_statement_the_review_says_so(tree: Tree, users: dict[str, User]) -> None:
    incident = incident_open(user=SYSTEM, title="Sự cố", unit=tree.evn, playbook=make_playbook(first_response_hours=1))
    review = incident_review(incident, closed=incident.opened_at + dt.timedelta(hours=3))
    assert review["first_response_minutes"] is None
    assert review["first_response_on_time"] is False
    assert set(review["coverage"]) == {"before", "until_close"}  # type: ignore[call-overload]
