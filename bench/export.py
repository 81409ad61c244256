"""The agent's export of the filtered queue: 100,000 cases to CSV and XLSX.

    .venv/bin/python bench/export.py                  # 100,000 cases
    .venv/bin/python bench/export.py --cases 20000    # quicker
    .venv/bin/python bench/export.py --reuse          # keep the data of an earlier run

Seeds the demo and the cases into a fresh PostgreSQL database (as bench/backoffice.py),
then runs each export in a child process of its own, through the real view and its
streaming response, and prints the time, the rows written and the child's peak memory
(its maximum resident set size) against the target (< 200 MB).
"""

import argparse
import csv
import io
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

TARGET_MB = 200


def child(file_format: str, data_dir: Path) -> None:
    """One export, alone in this process, so that its peak memory is its own."""
    common.django_setup(common.database_url(), data_dir)
    # The authority's administrator sees every case: the export holds them all.
    client = common.agent_client("admin@ville-demo.fr")
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get(f"/agents/?queue=all&format={file_format}")
    size = 0
    with tempfile.TemporaryFile() as output:
        chunks = response.streaming_content if response.streaming else [response.content]
        for chunk in chunks:
            data = chunk.encode() if isinstance(chunk, str) else chunk
            size += len(data)
            output.write(data)
        elapsed = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # before reading back
        output.seek(0)
        rows = _rows(output, file_format)
    print(
        json.dumps(
            {
                "format": file_format,
                "status": response.status_code,
                "streamed": response.streaming,
                "rows": rows,
                "bytes": size,
                "seconds": round(elapsed, 1),
                "peak_mb": round(peak_kb / 1024),
                "baseline_mb": round(baseline_kb / 1024),
            }
        )
    )


def _rows(output: io.BufferedIOBase, file_format: str) -> int:
    """Reads the file back: the figures count rows really written, header excluded."""
    if file_format == "csv":
        return sum(1 for _ in csv.reader(io.TextIOWrapper(output, encoding="utf-8"))) - 1
    from openpyxl import load_workbook

    workbook = load_workbook(output, read_only=True)
    return sum(1 for _ in workbook.active.iter_rows()) - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it exists")
    parser.add_argument("--child", choices=["csv", "xlsx"], help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.data_dir)
        return

    url = common.database_url()
    data_dir = Path(tempfile.mkdtemp(prefix="guichet-bench-"))
    if not (args.reuse and common.database_exists(url)):
        common.database_recreate(url)
        common.guichet("migrate", "--verbosity", "0", url=url, data_dir=data_dir)
        common.guichet("seed_demo", "--verbosity", "0", url=url, data_dir=data_dir)
        common.django_setup(url, data_dir)
        backoffice.seed_cases(args.cases)
    rows = []
    for file_format in ["csv", "xlsx"]:
        result = subprocess.run(  # noqa: S603 - this script, as a child
            [sys.executable, __file__, "--child", file_format, "--data-dir", str(data_dir)],
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        mark = "✓" if figures["peak_mb"] < TARGET_MB else "✗"
        rows.append(figures | {"target": f"peak < {TARGET_MB} MB {mark}"})
    common.report("export", rows, {"database": url.rsplit("/", 1)[1]})


if __name__ == "__main__":
    main()
