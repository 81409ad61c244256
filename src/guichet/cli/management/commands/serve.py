import os
import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Runs the production web server (gunicorn)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=os.environ.get("GUICHET_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("GUICHET_WEB_WORKERS", "2"))
        )

    def handle(self, *args: Any, bind: str, workers: int, **options: Any) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "guichet.config.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ]
        os.execv(sys.executable, command)  # noqa: S606 - replaces this process with gunicorn
