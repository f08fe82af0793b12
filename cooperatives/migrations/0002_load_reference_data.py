"""Load the 34 provinces, their wards, the 63 pre-2025 provinces and the 8 sectors."""

from django.db import migrations


def load(apps, schema_editor):
    from cooperatives.reference import reference_data_load

    reference_data_load(apps)


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
