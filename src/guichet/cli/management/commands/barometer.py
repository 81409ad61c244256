"""`guichet barometer create-campaign | import | report`: the network's annual barometer."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from guichet.barometer import rendering, services
from guichet.barometer.models import Campaign, NetworkOperator
from guichet.barometer.report import campaign_report
from guichet.core.errors import DomainError
from guichet.tenants.models import Authority

PROGRESS_WIDTH = 30


class Command(BaseCommand):
    help = "The barometer's campaigns: create one, import respondents, produce the report."

    def add_arguments(self, parser: Any) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create-campaign", help="Creates a campaign.")
        create.add_argument("slug")
        create.add_argument("--year", type=int, required=True)
        create.add_argument("--template", default="2012")
        create.add_argument("--name", default="")
        create.add_argument(
            "--authority",
            default="",
            help="Slug of the authority running the campaign (defaults to the only one).",
        )
        load = commands.add_parser("import", help="Imports respondents from CSV or XLSX.")
        load.add_argument("--campaign", required=True)
        load.add_argument("file")
        report = commands.add_parser("report", help="Writes the campaign's report.")
        report.add_argument("--campaign", required=True)
        report.add_argument("--format", choices=rendering.FORMATS, default="json")
        report.add_argument("--output", default="", help="A file (standard output otherwise).")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except DomainError as error:
            raise CommandError(error.message) from error

    def _campaign(self, slug: str) -> Campaign:
        try:
            return Campaign.objects.get(slug=slug)
        except Campaign.DoesNotExist as error:
            raise CommandError(f"Unknown campaign {slug!r}.") from error

    def _create_campaign(
        self, *, slug: str, year: int, template: str, name: str, authority: str, **_: Any
    ) -> None:
        campaign = services.campaign_create(
            authority=self._authority(authority), slug=slug, year=year, template=template, name=name
        )
        self.stdout.write(f"Campaign {campaign.slug} ({campaign.year}, template {template}).")

    def _authority(self, slug: str) -> Authority:
        if slug:
            found = Authority.objects.filter(slug=slug).first()
            if found is None:
                raise CommandError(f"Unknown authority {slug!r}.")
            return found
        operators = {o.authority for o in NetworkOperator.objects.select_related("authority")}
        if len(operators) == 1:
            return operators.pop()
        if Authority.objects.count() == 1:
            return Authority.objects.get()
        raise CommandError("Several authorities: say which runs the campaign (--authority).")

    def _import(self, *, campaign: str, file: str, **_: Any) -> None:
        path = Path(file)
        if not path.exists():
            raise CommandError(f"No such file: {file}")
        try:
            counts = services.respondents_import(
                campaign=self._campaign(campaign),
                content=path.read_bytes(),
                name=path.name,
                progress=self._progress,
            )
        except services.ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(rejected.message) from rejected
        self.stdout.write(f"{counts['created']} respondents created, {counts['updated']} updated.")

    def _progress(self, done: int, total: int) -> None:
        filled = PROGRESS_WIDTH * done // total
        bar = "#" * filled + "." * (PROGRESS_WIDTH - filled)
        self.stderr.write(f"\r[{bar}] {done}/{total}", ending="\n" if done == total else "")
        self.stderr.flush()

    def _report(self, *, campaign: str, format: str, output: str, **_: Any) -> None:
        content = rendering.report_render(campaign_report(self._campaign(campaign)), format)
        if output:
            Path(output).write_bytes(content)
            self.stdout.write(f"Report written to {output}.")
        elif format in ("json", "html", "csv"):
            self.stdout.write(content.decode(), ending="")
        else:  # binary: straight to the process's standard output
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
