"""The full-text index: an FTS5 table on SQLite, a tsvector table with a GIN index on PostgreSQL."""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(title, lead, body, tokenize = 'unicode61')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS articles_fts"]
# No foreign key: Django's test flush truncates only its own tables and would refuse one
# referenced from here. Entries of deleted articles are removed by search.remove and are
# harmless meanwhile (searches join on articles).
POSTGRES = [
    "CREATE TABLE IF NOT EXISTS articles_search (article_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX IF NOT EXISTS articles_search_document ON articles_search USING gin (document)",
]
POSTGRES_REVERSE = ["DROP TABLE IF EXISTS articles_search"]


def forwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    statements = SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRES
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    statements = SQLITE_REVERSE if schema_editor.connection.vendor == "sqlite" else POSTGRES_REVERSE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
