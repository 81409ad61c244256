"""Trigram indexes for the agents' search by number or name (PostgreSQL only).

The queue searches with `icontains` (UPPER(...) LIKE UPPER('%…%')), which a B-tree
cannot serve; a trigram GIN index on the same expression can. SQLite has no such index
and keeps scanning: it serves the demo and small authorities.
"""

from django.db import migrations

INDEXES = {
    "engine_case_number_trgm": 'UPPER("number"::text)',
    "engine_case_contact_name_trgm": """UPPER(("contact" ->> 'last_name')::text)""",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON engine_case USING gin ({expression} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("engine", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
