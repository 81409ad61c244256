"""The sweeps the worker enqueues on a schedule (see cli's `worker` command)."""

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from guichet.real_estate.services import invoices_deadline_alert


@task()
def invoices_deadline_sweep() -> int:
    """Signals unpaid invoices before their legal 30-day payment date passes."""
    return invoices_deadline_alert(
        now=timezone.now(), days_before=settings.GUICHET_REAL_ESTATE_INVOICE_ALERT_DAYS
    )


SWEEPS = [invoices_deadline_sweep]
