import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import coopdx.validators
from cooperatives.text import search_words

BATCH = 2000


def fill_representative_key(apps, schema_editor):
    """The duplicate rule compares representatives folded like names."""
    Cooperative = apps.get_model("cooperatives", "Cooperative")
    batch = []
    rows = Cooperative.objects.exclude(representative="").only("pk", "representative")
    for cooperative in rows.order_by("pk").iterator(chunk_size=BATCH):
        cooperative.representative_key = search_words(cooperative.representative)[:150]
        batch.append(cooperative)
        if len(batch) >= BATCH:
            Cooperative.objects.bulk_update(batch, ["representative_key"])
            batch = []
    if batch:
        Cooperative.objects.bulk_update(batch, ["representative_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("cooperatives", "0010_search_trigram_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="cooperative",
            name="representative_key",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                max_length=150,
                verbose_name="representative, folded for comparison",
            ),
        ),
        migrations.RunPython(fill_representative_key, migrations.RunPython.noop, elidable=True),
        migrations.CreateModel(
            name="DuplicateDismissal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("cooperative_ids", models.JSONField(verbose_name="cooperatives")),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        max_length=500,
                        validators=[coopdx.validators.VisibleTextValidator()],
                        verbose_name="note",
                    ),
                ),
                ("dismissed_at", models.DateTimeField(verbose_name="dismissed")),
                ("undone_at", models.DateTimeField(blank=True, null=True, verbose_name="undone")),
                (
                    "dismissed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="dismissed by",
                    ),
                ),
                (
                    "province",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cooperatives.province",
                        verbose_name="province",
                    ),
                ),
                (
                    "undone_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="undone by",
                    ),
                ),
            ],
            options={
                "verbose_name": "dismissed possible duplicate",
                "verbose_name_plural": "dismissed possible duplicates",
                "ordering": ["-dismissed_at", "-pk"],
                "indexes": [models.Index(fields=["province", "undone_at"], name="dismissal_province_standing")],
            },
        ),
    ]
