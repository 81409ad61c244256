"""No double booking, enforced by the database itself.

PostgreSQL: an exclusion constraint (btree_gist) over (leaf, [starts_at, ends_at)).
SQLite: triggers refusing an insert or update that overlaps another occupation of the same
leaf; SQLite serialises writers, so the check and the write cannot interleave.
Both raise an IntegrityError naming `facilities_no_overlap`.
"""

from django.db import migrations

CONSTRAINT = "facilities_no_overlap"

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE facilities_occupation ADD CONSTRAINT {CONSTRAINT}
        EXCLUDE USING gist (leaf_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)""",
]
POSTGRES_DOWN = [f"ALTER TABLE facilities_occupation DROP CONSTRAINT {CONSTRAINT}"]

SQLITE_CHECK = """
    SELECT RAISE(ABORT, 'facilities_no_overlap') WHERE EXISTS (
        SELECT 1 FROM facilities_occupation AS other
        WHERE other.leaf_id = NEW.leaf_id AND other.id IS NOT NEW.id
          AND other.starts_at < NEW.ends_at AND NEW.starts_at < other.ends_at
    );
"""
SQLITE_UP = [
    f"""CREATE TRIGGER {CONSTRAINT}_insert BEFORE INSERT ON facilities_occupation
        BEGIN {SQLITE_CHECK} END""",
    f"""CREATE TRIGGER {CONSTRAINT}_update BEFORE UPDATE ON facilities_occupation
        BEGIN {SQLITE_CHECK} END""",
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {CONSTRAINT}_insert",
    f"DROP TRIGGER IF EXISTS {CONSTRAINT}_update",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
