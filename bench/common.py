"""What every benchmark shares: a fresh PostgreSQL database, Django on it, the production
web server on loopback, percentiles, and the report (a table, then one JSON line).

The scripts are run with the project's virtual environment, from the checkout's root:
`.venv/bin/python bench/<name>.py --help`.
"""

import contextlib
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/guichet_bench"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)


def database_recreate(url: str) -> None:
    """Drops and recreates the benchmark's database: each run starts from nothing."""
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def database_exists(url: str) -> bool:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def django_setup(url: str, data_dir: Path) -> None:
    """Django in this process, on the benchmark's database and data folder."""
    os.environ["DATABASE_URL"] = url
    os.environ["GUICHET_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "guichet.config.settings"
    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per login otherwise


def agent_client(email: str, host: str = "ville-demo.localhost") -> Any:
    """A test client logged in as a demo agent who has passed the second factor (the
    session names the agent's TOTP device, as after entering a code)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from guichet.accounts.models import User

    agent = User.objects.get(email=email, authority__slug=host.split(".")[0])
    client = Client(HTTP_HOST=host)
    client.force_login(agent)
    session = client.session
    device = TOTPDevice.objects.filter(user=agent, confirmed=True).first()
    if device is None:  # a database seeded before agents had a second factor
        device = TOTPDevice.objects.create(user=agent, name="banc d'essai", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def guichet(*args: str, url: str, data_dir: Path) -> None:
    """Runs a `guichet` command in its own process, as an operator would."""
    subprocess.run(  # noqa: S603 - our own command
        [str(Path(sys.executable).parent / "guichet"), *args],
        check=True,
        env=os.environ | {"DATABASE_URL": url, "GUICHET_DATA_DIR": str(data_dir)},
        cwd=ROOT,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def web_server(*, url: str, data_dir: Path, workers: int) -> Iterator[int]:
    """The production server (gunicorn through `guichet serve`) on a free loopback port."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command
        [
            str(Path(sys.executable).parent / "guichet"),
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        env=os.environ | {"DATABASE_URL": url, "GUICHET_DATA_DIR": str(data_dir)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(data_dir / f"web-{port}.log").open("w"),  # tracebacks, if any
    )
    try:
        # gunicorn listens before its workers have booted: ready means /healthz answers.
        deadline = time.monotonic() + 60
        while not _healthy(port):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the web server did not start")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@contextlib.contextmanager
def task_workers(*, url: str, data_dir: Path, count: int = 1) -> Iterator[list[subprocess.Popen]]:
    """`guichet worker` processes on the benchmark's database (the first one schedules)."""
    processes = [
        subprocess.Popen(  # noqa: S603 - our own command
            [
                str(Path(sys.executable).parent / "guichet"),
                "worker",
                *(["--no-schedule"] if n else []),
            ],
            env=os.environ | {"DATABASE_URL": url, "GUICHET_DATA_DIR": str(data_dir)},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(count)
    ]
    try:
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


class Browser:
    """One person's HTTP session against the server: keeps the connection and cookies."""

    def __init__(self, *, port: int, host: str, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.host = host
        self.cookies = dict(cookies or {})
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, float]:
        """Returns status, body and the time to the last byte, in milliseconds."""
        all_headers = {"Host": self.host, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=all_headers)
            response = self.connection.getresponse()
            content = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            raise
        elapsed = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content, elapsed


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (no interpolation): a value that was really measured."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 0.50), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
        "p99_ms": round(percentile(values, 0.99), 1),
        "mean_ms": round(statistics.fmean(values), 1) if values else float("nan"),
    }


def progress(done: int, total: int, started: float, label: str) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    elapsed = time.monotonic() - started
    rate = done / elapsed if elapsed else 0
    sys.stderr.write(
        f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
        f"  {rate:,.0f}/s  {elapsed:,.0f} s"
    )
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def report(title: str, rows: list[dict[str, Any]], extra: dict[str, Any]) -> None:
    """Prints the figures as an aligned table, then as one JSON line for machines."""
    print(f"\n{title}")
    if rows:
        columns = list(rows[0])
        widths = {c: max(len(c), *(len(str(row.get(c, ""))) for row in rows)) for c in columns}
        print("  ".join(c.ljust(widths[c]) for c in columns))
        print("  ".join("-" * widths[c] for c in columns))
        for row in rows:
            print("  ".join(str(row.get(c, "")).ljust(widths[c]) for c in columns))
    for key, value in extra.items():
        print(f"{key}: {value}")
    print("JSON " + json.dumps({"benchmark": title, "rows": rows, **extra}, default=str))
