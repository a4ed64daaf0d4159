from django.db import migrations


def fill(apps, schema_editor):
    from soin.ideas.services import stems_field

    Idea = apps.get_model("ideas", "Idea")
    for idea in Idea.objects.all().only("pk", "title", "description", "language"):
        idea.search_stems = stems_field(f"{idea.title} {idea.description}", idea.language)
        idea.save(update_fields=["search_stems"])


class Migration(migrations.Migration):
    dependencies = [("ideas", "0003_similar_and_merged")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
