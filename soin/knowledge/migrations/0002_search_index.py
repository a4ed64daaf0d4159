"""The search index: GIN indexes on PostgreSQL's stored vectors, FTS5 tables on SQLite."""

from django.db import migrations

FTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_fts_{lang} USING fts5("
    "title, summary, story, extra, tokenize = 'unicode61 remove_diacritics 0')"
)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for lang in ("sv", "en"):
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS knowledge_entry_search_{lang} "
                f"ON knowledge_entry USING gin (search_{lang})"
            )
        elif vendor == "sqlite":
            schema_editor.execute(FTS.format(lang=lang))


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for lang in ("sv", "en"):
        if vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS knowledge_entry_search_{lang}")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TABLE IF EXISTS knowledge_fts_{lang}")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
