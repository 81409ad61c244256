from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from guichet.cli.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restores a `guichet backup` archive into an empty instance (migrates it first)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive")
        parser.add_argument(
            "--no-migrate", action="store_true", help="the database is already migrated"
        )

    def handle(self, *args: Any, archive: str, no_migrate: bool = False, **options: Any) -> None:
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        try:
            manifest = backup_restore(Path(archive))
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {sum(manifest['rows'].values())} rows and "
            f"{len(manifest['files'])} files from {manifest['created_at']}"
        )
