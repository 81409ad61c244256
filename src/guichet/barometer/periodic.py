"""The barometer's sweep: keeps every authority's indicator snapshots fresh."""

from django.utils import timezone
from django_tasks import task

from guichet.barometer import services
from guichet.barometer.tasks import snapshots_stale


@task()
def barometer_sweep() -> dict[str, int]:
    now = timezone.now()
    computed = 0
    authorities = snapshots_stale(now=now)
    for authority in authorities:
        computed += services.snapshots_compute(authority=authority, now=now)
    return {"authorities": len(authorities), "snapshots": computed}


# Enqueued by the worker on a schedule (see `guichet worker`).
SWEEPS = [barometer_sweep]
