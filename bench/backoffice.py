"""The agent's pages at a million cases: queue, filters, search, case page.

    .venv/bin/python bench/backoffice.py                 # 1,000,000 cases, 50 requests per page
    .venv/bin/python bench/backoffice.py --cases 100000  # smaller, quicker
    .venv/bin/python bench/backoffice.py --reuse         # skip seeding when the data is there

Seeds the demo (migrate + seed_demo) into a fresh PostgreSQL database, adds the cases
with a progress bar, starts the production server (gunicorn) on loopback, and measures
each page over HTTP as the demo agent: p50/p95/p99, and the SQL queries per page
(counted in this process on the same database).
"""

import argparse
import datetime
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

FIRST_NAMES = ["Camille", "Jean", "Léa", "Hugo", "Chloé", "Louis", "Emma", "Lucas", "Inès", "Nora"]
LAST_NAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
]  # fmt: skip
RESIDENTS = 20_000
BATCH = 10_000
DEADLINE_DAYS = datetime.timedelta(days=60)


def seed_cases(total: int) -> None:
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from guichet.accounts.models import User
    from guichet.engine.models import Case, Channel, Deadline, Procedure
    from guichet.tenants.models import Authority

    authority = Authority.objects.get(slug="ville-demo")
    random.seed(2012)
    residents = [
        User(
            authority=authority,
            username=f"{authority.slug}:habitant{n}@example.fr",
            email=f"habitant{n}@example.fr",
            first_name=random.choice(FIRST_NAMES),
            last_name=f"{random.choice(LAST_NAMES)}{n}",
            is_email_verified=True,
            password="!",  # noqa: S106 - unusable password
        )
        for n in range(RESIDENTS)
    ]
    User.objects.bulk_create(residents, batch_size=BATCH)
    resident_ids = list(
        User.objects.filter(username__contains=":habitant").values_list("id", flat=True)
    )
    agent = User.objects.get(authority=authority, email="agent@ville-demo.fr")
    procedures = []
    published = Procedure.objects.filter(authority=authority, versions__published_at__isnull=False)
    for procedure in published.distinct():  # drafts (the builder's demo) take no cases
        version = procedure.versions.exclude(published_at=None).latest("number")
        workflow = version.parsed.workflow
        procedures.append((procedure, version, [s.code for s in workflow.statuses]))
    channels = [choice for choice, _label in Channel.choices]
    now = timezone.now()
    started = time.monotonic()
    done = 0
    while done < total:
        size = min(BATCH, total - done)
        cases = []
        for n in range(done, done + size):
            procedure, version, statuses = procedures[n % len(procedures)]
            status = random.choice(statuses)
            submitted = now - datetime.timedelta(minutes=random.randrange(5 * 365 * 24 * 60))
            final = version.parsed.workflow.status(status).is_final
            cases.append(
                Case(
                    authority=authority,
                    version=version,
                    procedure=procedure,
                    service_id=procedure.service_id,
                    number=f"{submitted.year}-{procedure.code}-{500_000 + n // len(procedures):06d}",
                    tracking_code=f"B{n:09d}",
                    status=status,
                    channel=random.choice(channels),
                    applicant_id=random.choice(resident_ids),
                    assigned_to=agent if n % 7 == 0 else None,
                    submitted_at=submitted,
                    closed_at=submitted + datetime.timedelta(days=10) if final else None,
                )
            )
        with transaction.atomic():
            created = Case.objects.bulk_create(cases, batch_size=BATCH)
            running = [case for case in created if case.closed_at is None and case.id % 10 == 0]
            Deadline.objects.bulk_create(
                [
                    Deadline(
                        authority=authority,
                        case=case,
                        started_in=case.status,
                        target_status=case.status,
                        due_at=case.submitted_at + DEADLINE_DAYS,
                    )
                    for case in running
                ],
                batch_size=BATCH,
            )
            # What the engine keeps on each case: its earliest running due date.
            Case.objects.filter(pk__in=[case.pk for case in running]).update(
                next_due_at=F("submitted_at") + DEADLINE_DAYS
            )
        done += size
        common.progress(done, total, started, "cases")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pages(total: int) -> list[tuple[str, str]]:
    from guichet.engine.models import Case, Procedure

    sample = Case.objects.filter(authority__slug="ville-demo").order_by("id")[total // 2]
    procedure = Procedure.objects.get(authority__slug="ville-demo", code="ACTE")
    name = sample.applicant.last_name
    return [
        ("queue: to do", "/agents/"),
        ("queue: all", "/agents/?queue=all"),
        ("queue: mine", "/agents/?queue=mine"),
        ("queue: page 200", "/agents/?queue=all&page=200"),
        (
            "filter: procedure + status",
            f"/agents/?queue=all&procedure={procedure.id}&status=submitted",
        ),
        ("filter: channel + dates", "/agents/?queue=all&channel=post&submitted_from=2025-01-01"),
        ("filter: overdue", "/agents/?overdue=on"),
        ("search: number", f"/agents/?queue=all&q={sample.number}"),
        ("search: name", f"/agents/?queue=all&q={name}"),
        ("case page", f"/agents/dossiers/{sample.id}/"),
    ]


def query_counts(paths: list[tuple[str, str]]) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = common.agent_client("agent@ville-demo.fr")
    counts = {}
    for label, path in paths:
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        counts[label] = len(queries)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50, help="per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it exists")
    args = parser.parse_args()

    url = common.database_url()
    data_dir = Path(tempfile.mkdtemp(prefix="guichet-bench-"))
    reuse = args.reuse and common.database_exists(url)
    if not reuse:
        common.database_recreate(url)
    common.guichet("migrate", "--verbosity", "0", url=url, data_dir=data_dir)  # new indexes too
    if not reuse:
        common.guichet("seed_demo", "--verbosity", "0", url=url, data_dir=data_dir)
    common.django_setup(url, data_dir)

    from guichet.engine.models import Case

    if not reuse:
        started = time.monotonic()
        seed_cases(args.cases)
        print(f"seeded {args.cases:,} cases in {time.monotonic() - started:,.0f} s")
    total = Case.objects.count()
    paths = pages(total)
    counts = query_counts(paths)

    client = common.agent_client("agent@ville-demo.fr")
    cookies = {"sessionid": client.cookies["sessionid"].value}
    rows = []
    with common.web_server(url=url, data_dir=data_dir, workers=args.workers) as port:
        browser = common.Browser(port=port, host="ville-demo.localhost", cookies=cookies)
        for label, path in paths:
            timings = []
            for n in range(args.requests + 3):
                status, _body, elapsed = browser.request("GET", path)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
                if n >= 3:  # the first requests warm the worker's caches
                    timings.append(elapsed)
            figures = common.summary(timings)
            rows.append(
                {
                    "page": label,
                    "p50_ms": figures["p50_ms"],
                    "p95_ms": figures["p95_ms"],
                    "queries": counts[label],
                    "target": "p95 < 150 ms" + (" ✓" if figures["p95_ms"] < 150 else " ✗"),
                }
            )
    common.report(
        "backoffice",
        rows,
        {"cases": total, "requests_per_page": args.requests, "web_workers": args.workers},
    )


if __name__ == "__main__":
    main()
