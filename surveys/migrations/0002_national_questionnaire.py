"""Load and publish the national questionnaire v1 and its indicator definitions."""

from django.db import migrations


def load(apps, schema_editor):
    from surveys.questionnaires import national_questionnaire_load

    national_questionnaire_load(apps)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
