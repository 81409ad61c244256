"""Open311 GeoReport v2 `GET requests.json` with its filters over 100,000 street reports.

    .venv/bin/python bench/open311.py                  # 100,000 reports, 50 requests per query
    .venv/bin/python bench/open311.py --reports 20000  # quicker
    .venv/bin/python bench/open311.py --reuse          # keep the data of an earlier run

Seeds the demo and the reports (spread over three years, every category and status)
into a fresh PostgreSQL database, starts the production server (gunicorn) on loopback
and measures each query as an Open311 client would: p50/p95 and the number of requests
returned (the standard's default window is the last 90 days).
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

BATCH = 10_000
TARGET_P95_MS = 150


def seed_reports(total: int) -> None:
    from django.utils import timezone

    from guichet.public_space.models import Category, Report
    from guichet.tenants.models import Authority

    authority = Authority.objects.get(slug="ville-demo")
    categories = list(Category.objects.filter(authority=authority))
    statuses = [choice for choice, _label in Report.Status.choices]
    random.seed(311)
    now = timezone.now()
    started = time.monotonic()
    for done in range(0, total, BATCH):
        reports = []
        for n in range(done, min(done + BATCH, total)):
            category = categories[n % len(categories)]
            created = now - datetime.timedelta(minutes=random.randrange(3 * 365 * 24 * 60))
            status = random.choice(statuses)
            reports.append(
                Report(
                    authority=authority,
                    number=f"{created:%Y}-SIG-B{n:07d}",
                    category=category,
                    service_id=category.service_id,
                    status=status,
                    channel=Report.Channel.WEB,
                    latitude=47.9 + random.random() / 50,
                    longitude=1.9 + random.random() / 50,
                    address=f"{n % 200 + 1} rue de la République",
                    description="Nid-de-poule sur la chaussée, devant l'école.",
                    created_at=created,
                    updated_at=created,
                    closed_at=created if status in {"fixed", "rejected", "merged"} else None,
                )
            )
        Report.objects.bulk_create(reports, batch_size=BATCH)
        common.progress(min(done + BATCH, total), total, started, "reports")


def queries() -> list[tuple[str, str]]:
    from django.utils import timezone

    from guichet.public_space.models import Category, Report

    category = Category.objects.filter(authority__slug="ville-demo").order_by("id").first()
    sample = Report.objects.filter(authority__slug="ville-demo").order_by("id")[5_000]
    year_ago = (timezone.now() - datetime.timedelta(days=365)).date()
    span = f"start_date={year_ago}T00:00:00Z&end_date={year_ago + datetime.timedelta(days=60)}T00:00:00Z"
    base = "/open311/v2/requests.json"
    return [
        ("last 90 days (default)", base),
        ("status=open", f"{base}?status=open"),
        ("service_code", f"{base}?service_code={category.code}"),
        ("service_code + status", f"{base}?service_code={category.code}&status=closed"),
        ("date range a year ago", f"{base}?{span}"),
        ("one request by id", f"{base}?service_request_id={sample.number}"),
        ("one request (path)", f"/open311/v2/requests/{sample.number}.json"),
        ("services", "/open311/v2/services.json"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50, help="per query")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it exists")
    args = parser.parse_args()

    url = common.database_url()
    data_dir = Path(tempfile.mkdtemp(prefix="guichet-bench-"))
    reuse = args.reuse and common.database_exists(url)
    if not reuse:
        common.database_recreate(url)
    common.guichet("migrate", "--verbosity", "0", url=url, data_dir=data_dir)
    if not reuse:
        common.guichet("seed_demo", "--verbosity", "0", url=url, data_dir=data_dir)
    common.django_setup(url, data_dir)
    from guichet.public_space.models import Report

    if not reuse:
        seed_reports(args.reports)
    total = Report.objects.count()
    rows = []
    with common.web_server(url=url, data_dir=data_dir, workers=args.workers) as port:
        client = common.Browser(port=port, host="ville-demo.localhost")
        for label, path in queries():
            timings, returned = [], 0
            for n in range(args.requests + 3):
                status, body, elapsed = client.request("GET", path)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}: {body[:200]!r}")
                if n >= 3:  # the first requests warm the worker's caches
                    timings.append(elapsed)
                returned = body.count(b'"service_request_id"')
            figures = common.summary(timings)
            target = f"p95 < {TARGET_P95_MS} ms" + (
                " ✓" if figures["p95_ms"] < TARGET_P95_MS else " ✗"
            )
            rows.append(
                {
                    "query": label,
                    "returned": returned,
                    "p50_ms": figures["p50_ms"],
                    "p95_ms": figures["p95_ms"],
                    "target": target,
                }
            )
    common.report(
        "open311",
        rows,
        {"reports": total, "requests_per_query": args.requests, "web_workers": args.workers},
    )


if __name__ == "__main__":
    main()
