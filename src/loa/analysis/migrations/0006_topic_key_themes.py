"""Topics get a stable key; the bloc's themes (seed/themes.yaml) are seeded and the DANeS
model's consumer-news labels are disabled (kept, with their article links: LOA_TOPICS=danes
brings them back into use)."""

import re
import unicodedata
from typing import Any

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from loa.pipeline.themes import DANES_LABELS, DANES_PREFIX, load_seed

_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(name: str, prefix: str = "") -> str:
    # Frozen here (not loa.pipeline.themes.key_of) so the keys this migration gave stay the same.
    folded = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return (prefix + (_SLUG.sub("-", ascii_name).strip("-") or "topic"))[:50].strip("-")


def _unique(key: str, taken: set[str]) -> str:
    candidate, n = key, 2
    while candidate in taken:
        candidate = f"{key[:45]}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _checks_now(schema_editor: BaseDatabaseSchemaEditor) -> None:
    # PostgreSQL defers foreign-key checks to commit; the topics written here (article links
    # point at them) would leave them pending, and the ALTER TABLE that follows cannot run so.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Topic = apps.get_model("analysis", "Topic")
    danes = {unicodedata.normalize("NFC", label) for label in DANES_LABELS}
    seed = load_seed()
    seed_keys = {theme.key for theme in seed}
    taken: set[str] = set(seed_keys)
    by_name: dict[str, Any] = {}
    for topic in Topic.objects.order_by("pk"):
        name = unicodedata.normalize("NFC", topic.name)
        by_name[name] = topic
        if name in danes and not topic.rule.strip():
            topic.key = _unique(_slug(name, DANES_PREFIX), taken)
            topic.enabled = False
        else:
            topic.key = _unique(_slug(name), taken)
        topic.save(update_fields=["key", "enabled"])
    for order, theme in enumerate(seed, start=1):
        existing = by_name.get(unicodedata.normalize("NFC", theme.name))
        if existing is not None:
            # A topic of that name was made by hand: it becomes the theme, its rule kept if it has one.
            existing.key = theme.key
            existing.rule = existing.rule or theme.rule
            existing.enabled = True
            existing.save(update_fields=["key", "rule", "enabled"])
        else:
            Topic.objects.create(key=theme.key, name=theme.name, rule=theme.rule, enabled=True, sort_order=order)
    _checks_now(schema_editor)


def backwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Topic = apps.get_model("analysis", "Topic")
    Topic.objects.filter(key__startswith=DANES_PREFIX).update(enabled=True)
    seeded = [theme.key for theme in load_seed()]
    Topic.objects.filter(key__in=seeded, article_links__isnull=True).delete()
    _checks_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0005_organisation_members_salience"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="key",
            # Without its index until filled: on PostgreSQL, turning an indexed slug unique
            # would create its "_like" index a second time.
            field=models.SlugField(max_length=60, null=True, db_index=False, verbose_name="key"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="topic",
            name="key",
            field=models.SlugField(
                help_text="Stable identifier, used by the learned models and the evaluation sets.",
                max_length=60,
                unique=True,
                verbose_name="key",
            ),
        ),
        migrations.AlterField(
            model_name="topic",
            name="rule",
            field=models.TextField(
                blank=True,
                help_text='Query in the search syntax (AND/OR/NOT, "phrases", NEAR); articles matching it get this topic.',
                verbose_name="rule",
            ),
        ),
    ]
