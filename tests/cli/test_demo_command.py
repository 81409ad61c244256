"""`guichet demo` — the end of the README's first command — as a newcomer runs it."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the demo runs on its own SQLite file; once is enough",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, host: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310 - loopback only
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return response.status, response.read().decode()


def test_demo__migrates_seeds_and_serves_both_authorities_with_a_worker(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "GUICHET_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "guichet.config.settings",
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "guichet.cli.main", "demo", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # Migrating and seeding every domain takes about a minute on an idle 2-core machine;
        # the margin is for a loaded one (the test measures that it works, not its speed).
        deadline = time.monotonic() + 240
        status, page = 0, ""
        while time.monotonic() < deadline:
            try:
                status, page = _get(f"http://127.0.0.1:{port}/", f"ville-demo.localhost:{port}")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200
        assert "Demande d&#x27;acte d&#x27;état civil" in page
        assert "Signaler un problème sur la voie publique" in page
        _status, platform = _get(f"http://127.0.0.1:{port}/", f"localhost:{port}")
        assert f'href="//departement-demo.localhost:{port}/"' in platform
        # The worker delivers the demo's queued e-mails into the data folder.
        while time.monotonic() < deadline and not any((tmp_path / "mail").glob("*.log")):
            time.sleep(0.5)
        assert any((tmp_path / "mail").glob("*.log"))
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert f"Ville de Démo-sur-Loire: http://ville-demo.localhost:{port}/" in output
    assert "All demo passwords: guichet-demo" in output
