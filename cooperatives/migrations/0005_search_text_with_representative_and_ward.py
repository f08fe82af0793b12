from django.db import migrations, models

from cooperatives.text import search_document

BATCH = 2000


def rebuild_search_text(apps, schema_editor):
    """Search now reads the representative and the ward too, with abbreviations written out."""
    Cooperative = apps.get_model("cooperatives", "Cooperative")
    batch = []
    rows = Cooperative.objects.select_related("ward").only("pk", "name", "code", "representative", "ward__name")
    for cooperative in rows.order_by("pk").iterator(chunk_size=BATCH):
        cooperative.search_text = search_document(
            name=cooperative.name,
            code=cooperative.code,
            representative=cooperative.representative,
            ward=cooperative.ward.name if cooperative.ward_id else "",
        )[:600]
        batch.append(cooperative)
        if len(batch) >= BATCH:
            Cooperative.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Cooperative.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("cooperatives", "0004_import_job_kind"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cooperative",
            name="search_text",
            field=models.CharField(db_index=True, editable=False, max_length=600),
        ),
        migrations.RunPython(rebuild_search_text, migrations.RunPython.noop, elidable=True),
    ]
