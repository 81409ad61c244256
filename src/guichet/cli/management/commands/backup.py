from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from guichet.cli.backup import backup_write


class Command(BaseCommand):
    help = "Backs up the database and every file into one .tar.gz (guichet restore reads it)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output",
            help="archive path (default: var/backups/guichet-<date>.tar.gz)",
        )

    def handle(self, *args: Any, output: str | None = None, **options: Any) -> None:
        from django.conf import settings

        destination = Path(
            output
            or Path(settings.DATA_DIR)
            / "backups"
            / f"guichet-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        )
        manifest = backup_write(destination)
        self.stdout.write(
            f"{destination}: {sum(manifest['rows'].values())} rows, {len(manifest['files'])} files"
        )
