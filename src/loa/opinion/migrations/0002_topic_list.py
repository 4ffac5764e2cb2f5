"""Topics become a managed list: each free-text topic of the existing streams becomes a list
entry, those whose words fold the same ("Giá điện" / "giá  điện.") sharing one, named as most
streams wrote it. Synonyms that are worded differently are left for staff to merge."""

import re
from collections import Counter, defaultdict
from typing import Any

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from loa.text.folding import fold


def _key(name: str) -> str:
    # Frozen copy of loa.opinion.synthesis.topic_key as it was when this migration was written.
    return " ".join(re.findall(r"\w+", fold(name)))


def topics_from_text(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Item = apps.get_model("opinion", "OpinionItem")
    Topic = apps.get_model("opinion", "Topic")
    groups: dict[str, list[Any]] = defaultdict(list)
    for item in Item.objects.all().only("pk", "topic_text"):
        groups[_key(item.topic_text) or "-"].append(item)
    for key, items in groups.items():
        name = Counter(item.topic_text.strip() for item in items).most_common(1)[0][0] or "-"
        topic = Topic.objects.create(name=name[:200], key=key[:200], status="accepted")
        Item.objects.filter(pk__in=[item.pk for item in items]).update(topic=topic)


def text_from_topics(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Item = apps.get_model("opinion", "OpinionItem")
    for item in Item.objects.select_related("topic"):
        item.topic_text = item.topic.name
        item.save(update_fields=["topic_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("opinion", "0001_initial"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Topic",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("key", models.CharField(editable=False, max_length=200, unique=True)),
                ("description", models.TextField(blank=True, verbose_name="description")),
                (
                    "status",
                    models.CharField(
                        choices=[("accepted", "in the list"), ("proposed", "proposed"), ("merged", "merged")],
                        default="accepted",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "merged_into",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="aliases",
                        to="opinion.topic",
                        verbose_name="merged into",
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="units.unit",
                        verbose_name="proposed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "opinion topic",
                "verbose_name_plural": "opinion topics",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="SynthesisRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "complete_share",
                    models.PositiveSmallIntegerField(
                        default=75,
                        help_text="A period with fewer of the expected units reported is marked incomplete and left out of trends.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="share of units for a complete period (%)",
                    ),
                ),
                (
                    "rising_min_units",
                    models.PositiveSmallIntegerField(
                        default=2,
                        help_text="A topic is called rising only when at least this many units report it.",
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="units needed for a rising topic",
                    ),
                ),
            ],
            options={
                "verbose_name": "synthesis rule",
                "verbose_name_plural": "synthesis rules",
            },
        ),
        migrations.RenameField(model_name="opinionitem", old_name="topic", new_name="topic_text"),
        migrations.AddField(
            model_name="opinionitem",
            name="topic",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="items",
                to="opinion.topic",
                verbose_name="topic",
            ),
        ),
        migrations.RunPython(topics_from_text, text_from_topics),
        # A default, so that going back can add the text column again before filling it.
        migrations.AlterField(
            model_name="opinionitem", name="topic_text", field=models.CharField(default="", max_length=200)
        ),
        migrations.RemoveField(model_name="opinionitem", name="topic_text"),
        migrations.AlterField(
            model_name="opinionitem",
            name="topic",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="items",
                to="opinion.topic",
                verbose_name="topic",
            ),
        ),
    ]
