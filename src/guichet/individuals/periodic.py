"""The individuals' sweep: reminders of unpaid invoices."""

from django.utils import timezone
from django_tasks import task

from guichet.individuals.school import invoices_remind


@task()
def invoices_remind_sweep() -> int:
    return invoices_remind(now=timezone.now())


SWEEPS = [invoices_remind_sweep]
