"""The import job's table takes this app's name (rows, keys and indexes are kept)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("cooperatives", "0008_import_job_moves_to_imports"),
    ]

    operations = [
        migrations.AlterModelTable(name="importjob", table=None),
    ]
