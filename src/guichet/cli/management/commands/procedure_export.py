from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError

from guichet.engine.models import Procedure
from guichet.engine.services import procedure_export


class Command(BaseCommand):
    help = "Prints a procedure's current definition as YAML (the format procedure_import reads)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("slug")
        parser.add_argument("--authority", required=True, help="The authority's slug")

    def handle(self, *args: Any, slug: str, authority: str, **options: Any) -> None:
        procedure = Procedure.objects.filter(authority__slug=authority, slug=slug).first()
        if procedure is None:
            raise CommandError(f"No procedure {slug!r} in {authority!r}")
        exported = procedure_export(procedure=procedure)
        self.stdout.write(yaml.safe_dump(exported, allow_unicode=True, sort_keys=False))
