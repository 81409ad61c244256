from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError

from guichet.core.errors import DomainError
from guichet.engine.services import procedure_import
from guichet.tenants.models import Authority


class Command(BaseCommand):
    help = "Imports a procedure definition (YAML or JSON) into an authority; publishes a new version if it changed."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--authority", required=True, help="The authority's slug")

    def handle(self, *args: Any, path: Path, authority: str, **options: Any) -> None:
        target = Authority.objects.filter(slug=authority).first()
        if target is None:
            raise CommandError(f"Unknown authority {authority!r}")
        try:
            version = procedure_import(authority=target, raw=yaml.safe_load(path.read_text()))
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{version.procedure.name}: version {version.number}")
