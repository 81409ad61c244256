"""The barometer's indicators over a million cases: the worker's snapshot computation
(every month, quarter and year, per authority, domain and procedure) and one indicator
set computed on demand.

    .venv/bin/python bench/indicators.py                 # 1,000,000 cases
    .venv/bin/python bench/indicators.py --cases 100000  # quicker
    .venv/bin/python bench/indicators.py --reuse         # on the cases of bench/backoffice.py

Shares its data with bench/backoffice.py (same generator, same database when
BENCH_DATABASE_URL is the same). Each computation runs in a child process of its own so
that its time and peak memory (maximum resident set size) are its own; target < 10 s.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

import backoffice

TARGET_S = 10


def child(kind: str, url: str, data_dir: Path) -> None:
    """Runs one computation in this (child) process and prints its figures as JSON."""
    common.django_setup(url, data_dir)
    from django.utils import timezone

    from guichet.barometer import indicators, services
    from guichet.engine.models import Case
    from guichet.tenants.models import Authority

    authority = Authority.objects.get(slug="ville-demo")
    now = timezone.now()
    started = time.perf_counter()
    if kind == "snapshots":
        produced = services.snapshots_compute(authority=authority, now=now)
    else:
        year = indicators.periods_recent("year", timezone.localdate(now), 1)[0]
        begin, end = indicators.bounds("year", year)
        facts = indicators.facts_load(authority=authority, since=begin)
        values = indicators.compute(facts=facts, authority=authority, start=begin, end=end, now=now)
        produced = len(values)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cases = Case.objects.filter(authority=authority).count()
    print(
        json.dumps({"seconds": seconds, "peak_mb": peak_mb, "produced": produced, "cases": cases})
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it exists")
    parser.add_argument("--child", choices=["snapshots", "on-demand"], help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = common.database_url()
    if args.child:
        child(args.child, url, args.data_dir)
        return

    data_dir = Path(tempfile.mkdtemp(prefix="guichet-bench-"))
    reuse = args.reuse and common.database_exists(url)
    if not reuse:
        common.database_recreate(url)
    common.guichet("migrate", "--verbosity", "0", url=url, data_dir=data_dir)
    if not reuse:
        common.guichet("seed_demo", "--verbosity", "0", url=url, data_dir=data_dir)
        common.django_setup(url, data_dir)
        backoffice.seed_cases(args.cases)
    rows = []
    for kind, label in (("on-demand", "one year, whole authority"), ("snapshots", "all snapshots")):
        finished = subprocess.run(  # noqa: S603 - this script, in a child process
            [sys.executable, __file__, "--child", kind, "--data-dir", str(data_dir)],
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(finished.stdout.strip().splitlines()[-1])
        rows.append(
            {
                "computation": label,
                "cases": figures["cases"],
                "produced": figures["produced"],
                "seconds": round(figures["seconds"], 1),
                "peak_mb": round(figures["peak_mb"]),
                "target": f"< {TARGET_S} s" + (" ✓" if figures["seconds"] < TARGET_S else " ✗"),
            }
        )
    common.report("indicators", rows, {})


if __name__ == "__main__":
    main()
