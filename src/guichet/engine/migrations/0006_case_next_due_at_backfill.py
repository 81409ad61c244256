"""Fills `Case.next_due_at` (0005) from the running deadlines: the earliest due date of
the deadlines neither paused nor done, as the engine keeps it from now on. One UPDATE."""

from django.db import migrations
from django.db.models import Min, OuterRef, Subquery


def backfill(apps, schema_editor):
    Case = apps.get_model("engine", "Case")
    Deadline = apps.get_model("engine", "Deadline")
    running = Deadline.objects.filter(done_at__isnull=True, paused_at__isnull=True)
    earliest = (
        running.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(earliest=Min("due_at"))
        .values("earliest")
    )
    Case.objects.filter(pk__in=running.values("case_id")).update(next_due_at=Subquery(earliest))


class Migration(migrations.Migration):
    dependencies = [("engine", "0005_case_next_due_at")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
