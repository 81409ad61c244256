from pathlib import Path
from typing import Any

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Compiles the interface's translations (.po to .mo) in pure Python, "
        "so that no GNU gettext is needed to install Guichet."
    )
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        # The project's catalogue, then each app's own (Django reads both).
        app_paths = [
            Path(config.path) / "locale"
            for config in apps.get_app_configs()
            if config.name.startswith("guichet.")
        ]
        for locale_path in [*settings.LOCALE_PATHS, *app_paths]:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
                if options["verbosity"] > 1:
                    self.stdout.write(f"compiled {po_path}")
