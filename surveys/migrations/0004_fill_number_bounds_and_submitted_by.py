"""Give the national questionnaire v1's number questions their bounds (a share is 0–100, counts
are whole numbers; bounds refuse impossible answers and never change a score), and record who
submitted the responses already submitted: the last one who entered them, the best knowledge."""

from django.db import migrations
from django.db.models import F


def load(apps, schema_editor):
    from surveys.questionnaires import national_questionnaire_data, number_bounds_load

    number_bounds_load(national_questionnaire_data(), apps)
    Response = apps.get_model("surveys", "Response")
    Response.objects.filter(submitted_at__isnull=False, submitted_by__isnull=True).update(submitted_by=F("entered_by"))


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_number_bounds_and_submitted_by")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
