"""Seed Resolution 20-NQ/TW, Directive 19/CT-TTg with its tasks, Phú Yên's 3734/UBND-KT and the agencies."""

from django.db import migrations


def load(apps, schema_editor):
    from directives.seed import directive_seed_load

    directive_seed_load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0001_initial"),
        ("cooperatives", "0002_load_reference_data"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
