from typing import Any

from django.core.management.base import BaseCommand

from guichet.security.dev_provider import DevProvider


class Command(BaseCommand):
    help = (
        "Runs a small OpenID Connect provider on loopback, standing in for FranceConnect in "
        "the demo (client 'guichet-demo', secret 'guichet-demo-secret'). Not for production."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:9000")

    def handle(self, *args: Any, bind: str, **options: Any) -> None:
        host, _, port = bind.rpartition(":")
        server = DevProvider(host=host or "127.0.0.1", port=int(port))
        self.stdout.write(f"Demo identity provider on {server.issuer} (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
