"""The associations' sweeps: vault documents about to expire, final reports due."""

from django.utils import timezone
from django_tasks import task

from guichet.associations.services import final_report_remind, vault_expiry_remind


@task()
def associations_sweep() -> dict[str, int]:
    today = timezone.localdate()
    return {
        "vault_reminders": vault_expiry_remind(today=today),
        "final_report_reminders": final_report_remind(today=today),
    }


SWEEPS = [associations_sweep]
