"""The cache's table (settings.CACHES: the database cache), made where the migrations run."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_aggregate_stamp")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
