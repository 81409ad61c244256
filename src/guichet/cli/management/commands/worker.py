import importlib
import threading
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def periodic_sweeps() -> list[Any]:
    """Every app's sweeps: the tasks listed in `SWEEPS` of its `periodic` module.

    Each domain declares its own, so adding one never touches this command.
    """
    sweeps = []
    for config in apps.get_app_configs():
        if not config.name.startswith("guichet."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.periodic")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.periodic":
                raise
            continue
        sweeps.extend(module.SWEEPS)
    return sweeps


class Command(BaseCommand):
    help = "Runs the task worker, and enqueues every app's periodic sweeps on a schedule."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Only run tasks; another worker enqueues the periodic sweeps.",
        )

    def handle(self, *args: Any, max_tasks: int | None, no_schedule: bool, **options: Any) -> None:
        if not no_schedule:
            threading.Thread(target=self._schedule, args=(periodic_sweeps(),), daemon=True).start()
        worker_options: dict[str, Any] = {"interval": 1, "startup_delay": False}
        if max_tasks is not None:
            worker_options["max_tasks"] = max_tasks
        call_command("db_worker", **worker_options)

    def _schedule(self, sweeps: list[Any]) -> None:
        stop = threading.Event()
        while True:
            for sweep in sweeps:
                sweep.enqueue()
            stop.wait(settings.GUICHET_DEADLINE_SWEEP_SECONDS)
