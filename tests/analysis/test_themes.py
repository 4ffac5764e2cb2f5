"""The bloc's themes in Loa: the seeding migration, the DANeS option, what staff confirm
teaching the themes (`loa model themes`), and the taxonomy page."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.urls import reverse

from loa.accounts.models import User
from loa.analysis import runtime
from loa.analysis.cli import cmd_themes
from loa.analysis.models import ArticleTopic, Topic
from loa.analysis.services import (
    TopicInput,
    articles_analyse,
    correction_record,
    corrections_as_examples,
    theme_examples,
    topic_save,
    topics_sync,
)
from loa.articles.models import Article
from loa.pipeline.themes import MIN_POSITIVES, load_seed
from tests.conftest import login
from tests.factories import make_article

BEFORE = [("analysis", "0005_organisation_members_salience")]


def _keys(article: Article) -> set[str]:
    return set(ArticleTopic.objects.filter(article=article).values_list("topic__key", flat=True))


@pytest.mark.django_db(transaction=True)
def test_the_migration_seeds_the_themes_and_disables_the_danes_labels() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("analysis", "Topic")
    old.objects.all().delete()
    old.objects.create(name="Hóng biến", sort_order=3)
    economy = old.objects.create(name="Kinh tế", sort_order=4)
    article = make_article("Bài đã được gắn chủ đề DANeS")  # the articles app stays at its latest state
    old_link = executor.loader.project_state(BEFORE).apps.get_model("analysis", "ArticleTopic")
    old_link.objects.create(article_id=article.pk, topic_id=economy.pk, score=0.9)
    old.objects.create(name="Năng lượng tái tạo", rule='"điện gió" OR "điện mặt trời"', sort_order=5)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    rows = {t.name: (t.key, t.enabled) for t in Topic.objects.all()}
    # The DANeS labels are kept (their article links with them) but out of use.
    assert rows["Hóng biến"] == ("danes-hong-bien", False)
    assert rows["Kinh tế"] == ("danes-kinh-te", False)
    assert _keys(article) == {"danes-kinh-te"}
    # A topic staff defined by a rule stays in use, with a key of its own.
    assert rows["Năng lượng tái tạo"] == ("nang-luong-tai-tao", True)
    seed = load_seed()
    for theme in seed:
        topic = Topic.objects.get(key=theme.key)
        assert (topic.name, topic.rule, topic.enabled) == (theme.name, theme.rule, True)
    assert list(Topic.objects.filter(key__in=[t.key for t in seed]).values_list("key", flat=True)) == [
        t.key for t in seed
    ]  # in the seed's order


@pytest.mark.django_db
def test_danes_labels_become_topics_only_with_the_option() -> None:
    assert topics_sync(["Hóng biến", "Game"]) == 0
    assert not Topic.objects.filter(name__in=["Hóng biến", "Game"]).exists()
    article = make_article("Giá xăng dầu tăng mạnh từ chiều nay", body="Liên Bộ điều chỉnh giá xăng dầu.")
    articles_analyse(articles=[article])
    keys = _keys(article)
    assert "prices" in keys
    assert not any(key.startswith("danes-") for key in keys)

    with override_settings(LOA_TOPICS="danes"):
        assert topics_sync(["Hóng biến", "Game"]) == 2
        assert Topic.objects.get(name="Game").key == "danes-game"
        other = make_article("Giá xăng dầu giảm nhẹ", body="Giá xăng giảm từ 15 giờ.")
        articles_analyse(articles=[other])
        keys = _keys(other)
    assert "prices" in keys  # the themes stay
    assert any(key.startswith("danes-") for key in keys)  # and the DANeS model's labels are added
    # Staff corrections teach the DANeS model its own labels only; themes learn apart.
    game, prices = Topic.objects.get(name="Game"), Topic.objects.get(key="prices")
    correction_record(article=other, user=None, topic_ids=[game.pk, prices.pk])
    (record,) = corrections_as_examples()
    assert record["topics"] == ["Game"]
    assert {e.keys for e in theme_examples()} == {frozenset({"danes-game", "prices"})}


@pytest.mark.django_db
def test_what_staff_confirm_teaches_the_themes(users: dict[str, User], tmp_path: Path) -> None:
    prices, digital = Topic.objects.get(key="prices"), Topic.objects.get(key="digital")
    confirmed = []
    for n in range(MIN_POSITIVES + 2):
        # Price articles that never say "giá điện": the rule misses them; staff add the topic.
        article = make_article(
            f"Biểu giá bán lẻ điều chỉnh tăng kỳ {n}",
            body=f"Mức tăng áp dụng từ kỳ điều hành số {n}, hóa đơn tiền nước và biểu giá bán lẻ đều tăng.",
        )
        confirmed.append(article)
        articles_analyse(articles=[article])
        correction_record(article=article, user=users["bloc_staff"], topic_ids=[prices.pk])
    for n in range(MIN_POSITIVES + 2):
        # Staff confirm the rule's digital topic and remove nothing else: counter-examples for prices.
        article = make_article(
            f"Doanh nghiệp đẩy mạnh chuyển đổi số giai đoạn {n}",
            body=f"Nền tảng số, dữ liệu và ứng dụng di động được triển khai ở đơn vị {n}.",
        )
        articles_analyse(articles=[article])
        assert "digital" in _keys(article)
        correction_record(article=article, user=users["bloc_staff"], topic_ids=[digital.pk])
    # An article staff have not looked at teaches nothing.
    articles_analyse(articles=[make_article("Biểu giá bán lẻ chưa ai xem")])

    examples = theme_examples()
    assert len(examples) == 2 * (MIN_POSITIVES + 2)
    assert sum("prices" in e.keys for e in examples) == MIN_POSITIVES + 2
    assert all(e.keys in ({"prices"}, {"digital"}) for e in examples)

    unseen = make_article("Biểu giá bán lẻ điều chỉnh tăng từ tháng sau", body="Mức tăng theo kỳ điều hành.")
    articles_analyse(articles=[unseen])
    assert "prices" not in _keys(unseen)  # the rule alone misses it

    output = tmp_path / "themes.json"
    assert cmd_themes(argparse.Namespace(output=str(output))) == 0
    with override_settings(LOA_THEMES_PATH=output):
        _ids, tagger = runtime.themes()
        assert {"prices", "digital"} <= tagger.learned_keys()
        articles_analyse(articles=[Article.objects.get(pk=unseen.pk)])
    assert "prices" in _keys(unseen)
    # A confirmed article keeps what staff said whatever the models say.
    assert _keys(confirmed[0]) == {"prices"}


@pytest.mark.django_db
def test_topics_are_saved_with_a_key_and_a_checked_rule(users: dict[str, User]) -> None:
    topic = topic_save(actor=users["bloc_staff"], data=TopicInput(name="Năng lượng tái tạo", rule='"điện gió"'))
    assert topic.key == "nang-luong-tai-tao"
    renamed = topic_save(
        actor=users["bloc_staff"], topic=topic, data=TopicInput(name="Điện gió, điện mặt trời", rule="")
    )
    assert renamed.key == "nang-luong-tai-tao"  # what was learned stays attached
    with pytest.raises(ValidationError):
        topic_save(actor=None, data=TopicInput(name="Hỏng", rule="(giá điện"))
    with pytest.raises(ValidationError):
        topic_save(actor=None, data=TopicInput(name="Hỏng", rule="-xăng"))
    with pytest.raises(PermissionDenied):
        topic_save(actor=users["evn_staff"], data=TopicInput(name="Của đơn vị", rule="evn"))


@pytest.mark.django_db
def test_the_bloc_staff_edit_the_taxonomy_on_its_page(users: dict[str, User]) -> None:
    staff = login(users["bloc_staff"])
    page = staff.get(reverse("analysis:topics")).content.decode()
    listed = page.split('data-testid="topic-table"')[1]
    assert Topic.objects.get(key="prices").name in listed
    assert reverse("analysis:topic_create") in page

    response = staff.post(
        reverse("analysis:topic_create"),
        {"name": "Năng lượng tái tạo", "rule": "NEAR(điện gió", "enabled": "on", "sort_order": "20"},
    )
    assert response.status_code == 200  # the form again, with the query's error on the rule
    form = response.content.decode().split('data-testid="topic-form"')[1]
    assert 'role="alert"' in form.split('name="rule"')[1]
    assert not Topic.objects.filter(name="Năng lượng tái tạo").exists()

    response = staff.post(
        reverse("analysis:topic_create"),
        {"name": "Năng lượng tái tạo", "rule": '"điện gió" OR "điện mặt trời"', "enabled": "on", "sort_order": "20"},
    )
    assert response.status_code == 302
    created = Topic.objects.get(name="Năng lượng tái tạo")
    assert (created.rule, created.enabled, created.sort_order) == ('"điện gió" OR "điện mặt trời"', True, 20)

    prices = Topic.objects.get(key="prices")
    edit = reverse("analysis:topic_edit", args=[prices.pk])
    assert staff.post(edit, {"name": prices.name, "rule": '"giá điện"', "sort_order": "2"}).status_code == 302
    prices.refresh_from_db()
    assert (prices.rule, prices.enabled) == ('"giá điện"', False)  # unticked: out of use
    article = make_article("Giá điện tăng từ hôm nay")
    articles_analyse(articles=[article])
    assert "prices" not in _keys(article)

    # Unit staff and readers see the taxonomy but cannot change it.
    for user in ("evn_staff", "evn_viewer"):
        other = login(users[user])
        listing = other.get(reverse("analysis:topics"))
        assert listing.status_code == 200
        assert reverse("analysis:topic_create") not in listing.content.decode()
        assert other.get(reverse("analysis:topic_create")).status_code == 403
        assert other.post(edit, {"name": "x", "rule": "", "sort_order": "1", "enabled": "on"}).status_code == 403
    prices.refresh_from_db()
    assert prices.name != "x"


@pytest.mark.django_db
def test_the_taxonomy_page_counts_confirmed_articles(
    users: dict[str, User], django_assert_max_num_queries: Any
) -> None:
    prices = Topic.objects.get(key="prices")
    article = make_article("Giá điện tăng", body="Giá điện tăng 3%.")
    articles_analyse(articles=[article])
    correction_record(article=article, user=users["bloc_staff"], topic_ids=[prices.pk])
    staff = login(users["bloc_staff"])
    with django_assert_max_num_queries(12):
        page = staff.get(reverse("analysis:topics")).content.decode()
    row = page.split(prices.name)[1].split("</tr>")[0]
    assert "<td>1</td>" in row


@pytest.mark.django_db
def test_topics_confirmed_on_the_article_page_are_what_the_themes_learn(users: dict[str, User]) -> None:
    article = make_article("Giá điện tăng 3% từ hôm nay", body="EVN điều chỉnh giá điện bình quân.")
    articles_analyse(articles=[article])
    assert _keys(article) == {"prices"}
    assert theme_examples() == []  # the model's topics teach nothing until staff confirm them
    prices, results = Topic.objects.get(key="prices"), Topic.objects.get(key="results")
    staff = login(users["bloc_staff"])
    page = staff.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert 'data-testid="correction-form"' in page
    response = staff.post(
        reverse("analysis:correct", args=[article.pk]),
        {"topics": [str(prices.pk), str(results.pk)], "set_topics": "True", "sentiment": ""},
    )
    assert response.status_code == 302
    (example,) = theme_examples()
    assert example.keys == {"prices", "results"}
    assert example.text.startswith("Giá điện tăng 3% từ hôm nay")
    # Removing a topic is a confirmed "no": the example says the article is not about it.
    staff.post(reverse("analysis:correct", args=[article.pk]), {"topics": [str(results.pk)], "set_topics": "True"})
    (example,) = theme_examples()
    assert example.keys == {"results"}
