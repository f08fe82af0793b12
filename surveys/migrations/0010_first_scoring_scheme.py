"""The rule CoopDX has scored with since its first round becomes the first scoring scheme: every
questionnaire version is attached to it, and every scored response keeps it."""

from django.db import migrations


def forward(apps, schema_editor):
    from surveys.schemes import scoring_schemes_load

    scheme = scoring_schemes_load(apps)
    apps.get_model("surveys", "Questionnaire").objects.filter(scoring_scheme__isnull=True).update(scoring_scheme=scheme)
    Response = apps.get_model("surveys", "Response")
    Response.objects.filter(score__isnull=False, scoring_scheme__isnull=True).update(scoring_scheme=scheme)
    apps.get_model("surveys", "HistoricalResponse").objects.filter(
        score__isnull=False, scoring_scheme__isnull=True
    ).update(scoring_scheme=scheme)


def backward(apps, schema_editor):
    apps.get_model("surveys", "Response").objects.update(scoring_scheme=None)
    apps.get_model("surveys", "HistoricalResponse").objects.update(scoring_scheme=None)
    apps.get_model("surveys", "Questionnaire").objects.update(scoring_scheme=None)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0009_scoring_schemes")]

    operations = [migrations.RunPython(forward, backward)]
