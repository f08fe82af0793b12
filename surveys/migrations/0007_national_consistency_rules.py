from django.db import migrations


def load(apps, schema_editor):
    from surveys.questionnaires import consistency_rules_load, national_questionnaire_data

    consistency_rules_load(national_questionnaire_data(), apps)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0006_consistency_rules")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
