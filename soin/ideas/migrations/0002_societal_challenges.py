from django.db import migrations

def load(apps, schema_editor):
    from soin.ideas.reference import load_challenges

    load_challenges(apps.get_model("ideas", "Challenge"))


class Migration(migrations.Migration):
    dependencies = [("ideas", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
