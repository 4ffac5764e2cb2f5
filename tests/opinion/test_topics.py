"""The managed list of topics: a unit's wording is matched to the list, a new topic is proposed,
staff accept, rename and merge synonyms (streams move, the name stays as an alias, audited),
and the migration that turned the free-text topics into list entries."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from loa.accounts.models import User
from loa.accounts.scoping import SYSTEM
from loa.opinion import selectors, services
from loa.opinion.models import OpinionItem, Topic, TopicStatus
from loa.opinion.services import Stream
from loa.units.models import Unit
from tests.conftest import login
from tests.factories import Tree, make_unit


def _report(unit: Unit, period: str, topic: str) -> None:
    report = services.report_save(
        user=SYSTEM, unit=unit, kind="monthly", period=period, streams=[Stream(topic, "agree", "da_so")]
    )
    services.report_submit(user=SYSTEM, report=report)


@pytest.mark.django_db
def test_synonyms_merged_by_staff_become_one_series(tree: Tree, users: dict[str, User]) -> None:
    staff = users["bloc_staff"]
    kept = services.topic_create(user=staff, name="Sắp xếp, tinh gọn tổ chức bộ máy")
    _report(tree.evn, "2026-09", "sắp xếp tinh gọn tổ chức bộ máy")  # same words: the listed topic
    _report(tree.pvn, "2026-09", "Sắp xếp tổ chức bộ máy")  # other words: a proposal
    proposal = Topic.objects.get(name="Sắp xếp tổ chức bộ máy")
    assert proposal.status == TopicStatus.PROPOSED
    assert proposal.proposed_by == tree.pvn
    assert set(selectors.synthesis(user=staff).topics) == {kept.name, proposal.name}

    with pytest.raises(PermissionDenied):
        services.topic_merge(user=users["evn_staff"], topic=proposal, into=kept)
    with pytest.raises(ValidationError):
        services.topic_merge(user=staff, topic=kept, into=proposal)  # a proposal is not kept
    services.topic_merge(user=staff, topic=proposal, into=kept)
    result = selectors.synthesis(user=staff)
    assert list(result.topics) == [kept.name]
    assert len(result.topics[kept.name]["2026-09"].units) == 2
    assert OpinionItem.objects.filter(topic=proposal).count() == 0
    # The merged name is an alias: a later report worded that way counts under the kept topic.
    _report(tree.evn, "2026-10", "Sắp xếp  tổ chức bộ máy.")
    assert OpinionItem.objects.filter(report__period="2026-10").get().topic == kept
    proposal.refresh_from_db()
    assert (proposal.status, proposal.merged_into) == (TopicStatus.MERGED, kept)
    # The merge is in the change log.
    assert LogEntry.objects.get_for_object(proposal).filter(changes__icontains="merged_into").exists()


@pytest.mark.django_db
def test_staff_accept_rename_and_refuse_duplicates(tree: Tree, users: dict[str, User]) -> None:
    staff = users["bloc_staff"]
    _report(tree.evn, "2026-09", "Nhà ở xã hội")
    proposal = Topic.objects.get()
    assert proposal not in selectors.topic_choices()
    services.topic_accept(user=staff, topic=proposal)
    assert selectors.topic_choices() == [proposal]
    with pytest.raises(ValidationError):
        services.topic_create(user=staff, name="nhà ở  xã hội")
    other = services.topic_create(user=staff, name="Giá điện")
    with pytest.raises(ValidationError):
        services.topic_rename(user=staff, topic=other, name="Nhà Ở Xã Hội")
    services.topic_rename(user=staff, topic=other, name="Giá điện sinh hoạt", description="Giá bán lẻ điện")
    other.refresh_from_db()
    assert other.name == "Giá điện sinh hoạt"
    # The old name is kept as an alias: a report still worded that way counts under the new name.
    _report(tree.pvn, "2026-09", "Giá điện")
    assert OpinionItem.objects.filter(report__unit=tree.pvn).get().topic == other
    with pytest.raises(PermissionDenied):
        services.topic_create(user=users["evn_staff"], name="Tiền lương")


@pytest.mark.django_db
def test_the_topic_page(tree: Tree, users: dict[str, User]) -> None:
    _report(tree.evn, "2026-09", "Sắp xếp tổ chức bộ máy")
    proposal = Topic.objects.get()
    staff = login(users["bloc_staff"])
    url = reverse("opinion:topics")
    assert staff.post(url, {"action": "add", "add-name": "Sắp xếp, tinh gọn bộ máy"}).status_code == 302
    kept = Topic.objects.get(name="Sắp xếp, tinh gọn bộ máy")
    response = staff.post(url, {"action": "merge", "merge-topic": proposal.pk, "merge-into": kept.pk})
    assert response.status_code == 302
    # The change log says who merged what into what.
    entry = LogEntry.objects.get_for_object(proposal).filter(changes__icontains="merged_into").get()
    assert entry.actor == users["bloc_staff"]
    page = staff.get(url).content.decode()
    assert "Sắp xếp tổ chức bộ máy" in page  # shown as the alias of the kept topic
    assert 'data-testid="merge-form"' in page
    viewer = login(users["evn_viewer"])
    assert 'data-testid="merge-form"' not in viewer.get(url).content.decode()
    assert viewer.post(url, {"action": "add", "add-name": "x"}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_free_text_topics_into_list_entries() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("opinion", "0001_initial")])
    old = executor.loader.project_state([("opinion", "0001_initial")]).apps
    unit = make_unit("Đảng ủy U")  # the units app stays at its latest state
    report = old.get_model("opinion", "OpinionReport").objects.create(unit_id=unit.pk, period="2026-09")
    item = old.get_model("opinion", "OpinionItem")
    for text in ("Giá điện", "giá  điện.", "Giá điện", "Sắp xếp tổ chức bộ máy"):
        item.objects.create(report=report, topic=text, tendency="agree", breadth="da_so")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    names = {topic.name: topic.items.count() for topic in Topic.objects.all()}
    assert names == {"Giá điện": 3, "Sắp xếp tổ chức bộ máy": 1}
    assert set(Topic.objects.values_list("status", flat=True)) == {"accepted"}
