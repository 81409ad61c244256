"""The sweeps the worker enqueues on a schedule (see cli's `worker` command)."""

from django.utils import timezone
from django_tasks import task

from guichet.engine.services import deadlines_process, drafts_remind


@task()
def deadlines_sweep() -> dict[str, int]:
    now = timezone.now()
    return deadlines_process(now=now) | {"drafts_reminded": drafts_remind(now=now)}


# Enqueued by the worker on a schedule (see `guichet worker`).
SWEEPS = [deadlines_sweep]
