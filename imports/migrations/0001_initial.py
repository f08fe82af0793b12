"""The import job moves from the registry app to this one: the table and its rows stay, only
Django's record of which app owns the model changes (and the content type follows, so admin
history and permissions keep pointing at it). The table is renamed in 0002."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_follows(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="imports", model="importjob").exists():
        content_types.objects.filter(app_label="cooperatives", model="importjob").update(app_label="imports")


def content_type_returns(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label="cooperatives", model="importjob").exists():
        content_types.objects.filter(app_label="imports", model="importjob").update(app_label="cooperatives")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("cooperatives", "0007_field_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("kind", models.CharField(max_length=16, verbose_name="kind")),
                        ("options", models.JSONField(blank=True, default=dict, verbose_name="import options")),
                        ("file", models.FileField(upload_to="imports/%Y/%m/", verbose_name="file")),
                        ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                        ("language", models.CharField(default="vi", max_length=8, verbose_name="language")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting"),
                                    ("validating", "Checking the file"),
                                    ("ready", "Checked, waiting for confirmation"),
                                    ("invalid", "Errors found"),
                                    ("importing", "Importing"),
                                    ("done", "Imported"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=16,
                                verbose_name="status",
                            ),
                        ),
                        ("progress_done", models.PositiveIntegerField(default=0, verbose_name="rows done")),
                        ("progress_total", models.PositiveIntegerField(default=0, verbose_name="rows in all")),
                        ("summary", models.JSONField(blank=True, default=dict, verbose_name="result summary")),
                        ("errors", models.JSONField(blank=True, default=list, verbose_name="errors")),
                        ("message", models.TextField(blank=True, verbose_name="message")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished")),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="uploaded by",
                            ),
                        ),
                        (
                            "scope_province",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="cooperatives.province",
                                verbose_name="province",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "import",
                        "verbose_name_plural": "imports",
                        "ordering": ["-created_at"],
                        "db_table": "cooperatives_importjob",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_follows, content_type_returns),
    ]
