"""One family's requests of the rush, profiled in this process on PostgreSQL with the
production settings: where the web tier's time goes, without a server or a crowd.

    .venv/bin/python bench/profile_rush.py                 # figures for 50 families
    .venv/bin/python bench/profile_rush.py --profile 30    # and cProfile's top 30 functions

Seeds the demo and the rush's families (as `rush.py` does) into a fresh database, then
for each family opens the form (GET /famille/) and submits (POST …/inscrire/) through
Django's full request cycle (every middleware, the same session cookie), and prints per
request: the process's CPU time, the wall time, the number of SQL queries and the time
spent waiting for them. The machine is shared, so CPU time and query counts are the
figures to compare between two versions; wall times move with the load.
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common
import rush


def _spread(counts: list[float]) -> str:
    low, high = min(counts), max(counts)
    return f"{low:g}" if low == high else f"{low:g} to {high:g}"


def _print_queries(last_queries: dict[str, list[str]]) -> None:
    for label, sqls in last_queries.items():
        print(f"\n{label}: {len(sqls)} queries")
        for sql in sqls:
            print("  " + sql[:300])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--families", type=int, default=50)
    parser.add_argument("--places", type=int, default=40)
    parser.add_argument("--profile", type=int, default=0, help="print cProfile's top N")
    parser.add_argument("--queries", action="store_true", help="print each request's SQL")
    args = parser.parse_args()

    url = common.database_url()
    data_dir = Path(tempfile.mkdtemp(prefix="guichet-bench-"))
    common.database_recreate(url)
    common.guichet("migrate", "--verbosity", "0", url=url, data_dir=data_dir)
    common.guichet("seed_demo", "--verbosity", "0", url=url, data_dir=data_dir)
    common.django_setup(url, data_dir)
    session_id, families = rush.families_create(args.families, args.places)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # The first half of the families is measured bare (CPU and wall time), the second
    # half under cProfile: its count of Python function calls per request does not move
    # with the machine's load, unlike times on a shared machine.
    profilers: dict[str, cProfile.Profile] = {}
    figures: dict[str, dict[str, list[float]]] = {}
    last_queries: dict[str, list[str]] = {}

    def measure(label: str, call: object, expected: int, *, profiled: bool) -> None:
        profiler = profilers.setdefault(label, cProfile.Profile())
        with CaptureQueriesContext(connection) as queries:
            if not connection.settings_dict["CONN_MAX_AGE"]:
                # As under gunicorn: each request opens its own connection (the test
                # client would otherwise keep this one open across requests).
                connection.close()
            cpu, wall = time.process_time(), time.perf_counter()
            if profiled:
                profiler.enable()
            response = call()  # type: ignore[operator]
            if profiled:
                profiler.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if response.status_code != expected:
            raise RuntimeError(f"{label} answered {response.status_code}")
        row = figures.setdefault(label, {"cpu": [], "wall": [], "queries": [], "sql": []})
        if not profiled:
            row["cpu"].append(cpu * 1000)
            row["wall"].append(wall * 1000)
            row["sql"].append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        row["queries"].append(len(queries))
        last_queries[label] = [q["sql"] for q in queries.captured_queries]

    # One client for all, as one web process serves them all (its middleware loaded once).
    client = Client(HTTP_HOST=rush.HOST)
    warm_up, *families = families
    client.cookies["sessionid"] = str(warm_up["session"])
    client.get("/famille/")  # imports, URL patterns, templates: once per process
    for index, person in enumerate(families):
        profiled = index >= len(families) // 2
        client.cookies.clear()
        client.cookies["sessionid"] = str(person["session"])
        measure("GET /famille/ (the form)", lambda: client.get("/famille/"), 200, profiled=profiled)
        measure(
            "POST …/inscrire/ (submit)",
            lambda p=person: client.post(
                f"/famille/sessions/{session_id}/inscrire/", {"child": p["child"]}
            ),
            302,
            profiled=profiled,
        )

    rows = [
        {
            "request": label,
            "cpu_ms_median": round(statistics.median(row["cpu"]), 1),
            "wall_ms_median": round(statistics.median(row["wall"]), 1),
            "queries": _spread(row["queries"]),
            "sql_wait_ms_median": round(statistics.median(row["sql"]), 1),
            "python_calls": round(
                pstats.Stats(profilers[label]).total_calls / (len(row["queries"]) - len(row["cpu"]))
            ),
        }
        for label, row in figures.items()
    ]
    common.report(
        "profile_rush",
        rows,
        {"families": args.families, "conn_max_age": connection.settings_dict["CONN_MAX_AGE"]},
    )
    if args.queries:
        _print_queries(last_queries)
    if args.profile:
        for label, profiler in profilers.items():
            print(f"\n{label}")
            stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
            stats.print_stats(args.profile)
            stats.sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
