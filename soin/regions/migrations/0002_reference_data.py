from django.db import migrations


def load(apps, schema_editor):
    from soin.regions.reference import load_reference_data

    load_reference_data(apps.get_model("regions", "Region"), apps.get_model("regions", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
