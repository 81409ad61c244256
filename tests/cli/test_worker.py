import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.db import connection, transaction

from guichet.notifications.models import OutgoingEmail
from guichet.notifications.services import email_queue
from tests import factories


def _database_url() -> str:
    """The URL of the database this test runs on, for a process started by the test."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    credentials = quote(database["USER"] or "")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"])
    host = database["HOST"] or "localhost"
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{database['NAME']}"


@pytest.mark.skipif(
    connection.vendor == "sqlite" and ":memory:" in str(connection.settings_dict["NAME"]),
    reason="the worker process cannot see an in-memory database",
)
@pytest.mark.django_db(transaction=True)
def test_worker__delivers_an_email_queued_by_a_transaction(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    city = factories.authority("ville-a")
    with transaction.atomic():
        queued = email_queue(
            authority=city,
            to="camille@example.fr",
            template="magic_link",
            context={"url": "http://ville-a.localhost/lien-de-connexion/u/t/"},
        )
    assert queued.sent_at is None
    if connection.vendor == "sqlite":
        connection.close()  # the worker writes to the file; let it take the lock

    finished = subprocess.run(
        [sys.executable, "-m", "guichet.cli.main", "worker", "--max-tasks", "1", "--no-schedule"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "guichet.config.settings",
            "GUICHET_DATA_DIR": str(tmp_path),
            "DATABASE_URL": _database_url(),
            "GUICHET_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr
    queued.refresh_from_db()
    assert queued.sent_at is not None
    [mail_file] = list((tmp_path / "mail").iterdir())
    content = mail_file.read_text()
    assert "To: camille@example.fr" in content
    assert "http://ville-a.localhost/lien-de-connexion/u/t/" in content
    assert OutgoingEmail.objects.filter(sent_at__isnull=True).count() == 0


def test_periodic_sweeps__collects_each_apps_declared_sweeps():
    from guichet.cli.management.commands.worker import periodic_sweeps
    from guichet.engine.periodic import deadlines_sweep

    assert deadlines_sweep in periodic_sweeps()
