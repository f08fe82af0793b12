import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("surveys", "0010_first_scoring_scheme")]

    operations = [
        migrations.AlterField(
            model_name="questionnaire",
            name="scoring_scheme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="questionnaires",
                to="surveys.scoringscheme",
                verbose_name="scoring scheme",
            ),
        ),
    ]
