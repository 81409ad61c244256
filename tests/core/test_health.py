import json

import pytest
from django_tasks_db.models import DBTaskResult

from guichet.notifications.services import email_queue
from tests import factories


def test_healthz__answers_on_any_host_without_the_database(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz__reports_the_database_and_the_tasks_waiting(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    city = factories.authority("ville-a")
    with django_capture_on_commit_callbacks(execute=True):
        email_queue(authority=city, to="a@example.fr", template="magic_link", context={"url": "x"})

    body = json.loads(client.get("/readyz", HTTP_HOST="10.0.0.7").content)

    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["tasks_waiting"] == 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert 0 <= body["oldest_task_waiting_seconds"] < 60
