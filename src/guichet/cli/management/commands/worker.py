import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from guichet.engine.periodic import deadlines_sweep


class Command(BaseCommand):
    help = "Runs the task worker, and enqueues the deadline sweep on a schedule."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Only run tasks; another worker enqueues the periodic sweep.",
        )

    def handle(self, *args: Any, max_tasks: int | None, no_schedule: bool, **options: Any) -> None:
        if not no_schedule:
            threading.Thread(target=self._schedule, daemon=True).start()
        worker_options: dict[str, Any] = {"interval": 1, "startup_delay": False}
        if max_tasks is not None:
            worker_options["max_tasks"] = max_tasks
        call_command("db_worker", **worker_options)

    def _schedule(self) -> None:
        stop = threading.Event()
        while True:
            deadlines_sweep.enqueue()
            stop.wait(settings.GUICHET_DEADLINE_SWEEP_SECONDS)
