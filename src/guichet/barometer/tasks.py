import datetime

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from guichet.barometer import services
from guichet.barometer.models import Snapshot
from guichet.tenants.models import Authority


@task()
def snapshots_refresh(authority_id: int) -> int:
    """On demand: recompute one authority's snapshots now."""
    authority = Authority.objects.get(pk=authority_id)
    return services.snapshots_compute(authority=authority, now=timezone.now())


def snapshots_stale(*, now: datetime.datetime) -> list[Authority]:
    """Authorities whose snapshots are older than GUICHET_BAROMETER_SNAPSHOT_HOURS."""
    limit = now - datetime.timedelta(hours=settings.GUICHET_BAROMETER_SNAPSHOT_HOURS)
    latest = dict(
        Snapshot.objects.values("authority_id")
        .annotate(at=Max("computed_at"))
        .values_list("authority_id", "at")
    )
    return [a for a in Authority.objects.all() if latest.get(a.pk) is None or latest[a.pk] < limit]
