from django_tasks import task

from guichet.privacy.services import retention_sweep


@task()
def retention_sweep_task() -> dict[str, int]:
    return retention_sweep()
