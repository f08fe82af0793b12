"""The import job now belongs to the imports app (imports/0001); its table is kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cooperatives", "0007_field_rules"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportJob")],
            database_operations=[],
        ),
    ]
