from typing import Any

from django.core.management.base import BaseCommand, CommandError

from guichet.security.api_keys import api_key_create
from guichet.security.models import ApiKey
from guichet.tenants.models import Authority


class Command(BaseCommand):
    help = "Creates an API key for a partner of an authority and prints it (shown only once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("authority", help="the authority's slug")
        parser.add_argument("name", help="the partner's name")
        parser.add_argument("--scope", action="append", choices=ApiKey.Scope.values, required=True)

    def handle(
        self, *args: Any, authority: str, name: str, scope: list[str], **options: Any
    ) -> None:
        found = Authority.objects.filter(slug=authority).first()
        if found is None:
            raise CommandError(f"no authority with slug {authority!r}")
        _, raw = api_key_create(authority=found, name=name, scopes=scope)
        self.stdout.write(raw)
