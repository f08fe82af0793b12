"""A trigram index on the folded search text, on PostgreSQL.

The registry search filters with ``search_text LIKE '% word%'`` (every word of the query begins
a word of the name, code, representative or ward). A b-tree index cannot serve a pattern that
begins with a wildcard, so each search read the whole table; a GIN index of trigrams can. SQLite
has no such index and keeps scanning, which is fine at a laptop's size.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS cooperatives_search_text_trgm "
    "ON cooperatives_cooperative USING gin (search_text gin_trgm_ops)"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS cooperatives_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("cooperatives", "0009_visible_text"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
