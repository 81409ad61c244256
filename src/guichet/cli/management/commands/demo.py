import json
import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from guichet.cli.demo_data import AUTHORITIES, DEMO_PASSWORD
from guichet.payments.models import Regie


class Command(BaseCommand):
    help = "Migrates, seeds the demo, then runs the web server and the task worker together."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")

    def handle(self, *args: Any, bind: str, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", verbosity=0)
        if not os.environ.get("GUICHET_PAYMENT_EOPAYMENT"):
            # Every régie pays through eopayment's dummy backend, at the local dummy service.
            os.environ["GUICHET_PAYMENT_EOPAYMENT"] = json.dumps(_dummy_payment_accounts())
            os.environ["GUICHET_PAYMENT_ALLOW_DUMMY"] = "1"
        guichet = [sys.executable, "-m", "guichet.cli.main"]
        helpers = []  # not needed for the demo to run: their exit does not stop it
        if not os.environ.get("GUICHET_OIDC_PROVIDERS"):
            # FranceConnect's stand-in (guichet.security.dev_provider), offered on login pages.
            os.environ["GUICHET_DEMO_OIDC"] = "1"
            helpers.append(subprocess.Popen([*guichet, "oidc_dev_provider"]))  # noqa: S603
        processes = [
            subprocess.Popen([*guichet, "serve", "--bind", bind]),  # noqa: S603
            subprocess.Popen([*guichet, "worker"]),  # noqa: S603
        ]
        port = bind.rsplit(":", 1)[-1]
        self.stdout.write(
            self.style.SUCCESS("\nGuichet is running (web server and task worker).\n")
        )
        for spec in AUTHORITIES:
            self.stdout.write(f"  {spec['name']}: http://{spec['host']}:{port}/")
            domain = spec["email_domain"]
            self.stdout.write(
                f"    agent: agent@{domain}   manager: responsable@{domain}   admin: admin@{domain}"
            )
        self.stdout.write("    residents: camille.martin@example.fr, jean.petit@example.fr")
        self.stdout.write(f"  All demo passwords: {DEMO_PASSWORD}")
        self.stdout.write(
            "  Agents' second factor: `guichet demo_totp` prints each agent's current code."
        )
        if os.environ.get("GUICHET_DEMO_OIDC"):
            self.stdout.write(
                "  FranceConnect (demo provider on http://127.0.0.1:9000): "
                "« S'identifier avec FranceConnect » on the login page."
            )
        self.stdout.write(f"  Platform page: http://localhost:{port}/  (Django admin: operateur)")
        if os.environ.get("GUICHET_PAYMENT_ALLOW_DUMMY"):
            self.stdout.write(
                "  Online payment: eopayment's dummy backend, « Banque fictive » page (no card)."
            )
        self.stdout.write("  E-mails sent are written to var/mail/. Stop with Ctrl+C.\n")
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes + helpers:
                process.terminate()
            for process in processes + helpers:
                process.wait(timeout=10)


def _dummy_payment_accounts() -> dict[str, dict[str, Any]]:
    """`GUICHET_PAYMENT_EOPAYMENT` for the demo: eopayment's dummy backend for each régie."""
    return {
        regie.merchant_id: {"backend": "dummy", "options": {"origin": regie.name}}
        for regie in Regie.objects.order_by("pk")
    }


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
