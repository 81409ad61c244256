"""RGPD: retention sweep, a person's export and closure, the access log, the register."""

import csv
import datetime
import html
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from guichet.core.audit import audit_record
from guichet.core.models import AuditEvent
from guichet.engine.models import Attachment, Case, Message
from guichet.privacy.models import CaseErasure, DataProtectionOfficer, PrivacyEvent
from guichet.privacy.periodic import SWEEPS
from guichet.privacy.services import retention_sweep
from guichet.privacy.tasks import retention_sweep_task
from guichet.security.models import OidcIdentity
from tests import factories

pytestmark = pytest.mark.django_db
HOST = "ville-a.localhost"


def client_as(user) -> Client:
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    return client


def closed(case: Case, *, days_ago: int) -> Case:
    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    case.refresh_from_db()
    return case


# --- Retention ------------------------------------------------------------------------------


def test_retention__anonymises_closed_cases_past_their_procedures_period(
    procedure, resident, filed_case, django_capture_on_commit_callbacks
):
    procedure.retention_days = 30
    procedure.save()
    old = closed(filed_case, days_ago=31)
    recent = closed(factories.civil_status_case(procedure, resident), days_ago=29)
    Message.objects.create(
        authority=old.authority, case=old, is_from_applicant=True, body="Mon adresse est…"
    )
    file_name = old.attachments.get().file.name
    assert default_storage.exists(file_name)

    with django_capture_on_commit_callbacks(execute=True):
        counts = retention_sweep()

    old.refresh_from_db()
    assert counts == {
        "cases_anonymised": 1,
        "files_deleted": 1,
        "drafts_deleted": 0,
        "logs_deleted": 0,
        "login_failures_deleted": 0,
    }
    assert (old.data, old.contact, old.applicant_id) == ({}, {}, None)
    assert old.number
    assert old.status == filed_case.status
    assert not Attachment.objects.filter(case=old).exists()
    assert not Message.objects.filter(case=old).exists()
    assert not default_storage.exists(file_name)
    assert CaseErasure.objects.filter(case=old).exists()
    recent.refresh_from_db()
    assert recent.applicant_id == resident.pk
    assert recent.attachments.count() == 1
    event = PrivacyEvent.objects.get(kind="retention_sweep")
    assert event.detail == {
        "cases_anonymised": 1,
        "files_deleted": 1,
        "drafts_deleted": 0,
        "logs_deleted": 0,
    }


def test_retention__deletes_forgotten_drafts_and_old_logs_then_waits_a_day(
    settings, procedure, resident, filed_case
):
    settings.GUICHET_DRAFT_RETENTION_DAYS = 10
    settings.GUICHET_LOG_RETENTION_DAYS = 100
    draft = factories.civil_status_draft(procedure, resident)
    Case.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - datetime.timedelta(days=11))
    old_log = audit_record(
        authority_id=filed_case.authority_id, actor_id=None, action="case_viewed", obj=filed_case
    )
    AuditEvent.objects.filter(pk=old_log.pk).update(
        at=timezone.now() - datetime.timedelta(days=101)
    )
    kept = AuditEvent.objects.count() - 1

    first = retention_sweep()
    second = retention_sweep()

    assert (first["drafts_deleted"], first["logs_deleted"], first["files_deleted"]) == (1, 1, 1)
    assert not Case.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.count() == kept
    assert second == {"login_failures_deleted": 0}
    assert PrivacyEvent.objects.filter(kind="retention_sweep").count() == 1


def test_retention__runs_as_a_periodic_task(procedure, filed_case):
    procedure.retention_days = 1
    procedure.save()
    closed(filed_case, days_ago=2)

    assert retention_sweep_task in SWEEPS
    retention_sweep_task.enqueue()

    assert CaseErasure.objects.filter(case=filed_case).exists()


# --- A person's rights ----------------------------------------------------------------------


def test_export__json_and_every_file(resident, filed_case, city):
    OidcIdentity.objects.create(
        authority=city, provider="franceconnect", subject="fc-1", user=resident
    )
    client = client_as(resident)

    response = client.get("/mon-compte/mes-donnees.zip")

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("donnees.json"))
    attachment = filed_case.attachments.get()
    path = f"dossiers/{filed_case.number}/{attachment.pk}-{attachment.original_name}"
    assert response["Content-Disposition"] == 'attachment; filename="mes-donnees.zip"'
    assert sorted(archive.namelist()) == sorted(["donnees.json", path])
    assert archive.read(path) == attachment.file.open("rb").read()
    assert data["account"]["email"] == "camille@example.fr"
    assert data["identities"][0]["provider"] == "franceconnect"
    assert [case["number"] for case in data["cases"]] == [filed_case.number]
    assert data["cases"][0]["answers"]["last_name"] == "Martin"
    assert data["cases"][0]["files"][0]["path"] == path
    assert PrivacyEvent.objects.get(kind="data_exported").subject_id == resident.pk


def test_export__holds_nobody_elses_cases(procedure, resident, filed_case, city):
    other = factories.resident(city, "autre@example.fr")
    factories.civil_status_case(procedure, other)

    response = client_as(other).get("/mon-compte/mes-donnees.zip")

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("donnees.json"))
    assert [case["number"] for case in data["cases"]] != [filed_case.number]
    assert len(data["cases"]) == 1


def test_close_account__drafts_go_filed_cases_keep_a_contact_and_nobody_logs_in(
    procedure, resident, filed_case
):
    draft = factories.civil_status_draft(procedure, resident)
    client = client_as(resident)

    refused = client.post("/mon-compte/mes-donnees/", {})
    response = client.post("/mon-compte/mes-donnees/", {"confirm": "on"})

    assert refused.status_code == 422
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    resident.refresh_from_db()
    assert (resident.email, resident.first_name, resident.is_active) == (
        f"compte-ferme-{resident.pk}@invalid",
        "",
        False,
    )
    assert not resident.has_usable_password()
    assert not Case.objects.filter(pk=draft.pk).exists()
    filed_case.refresh_from_db()
    assert filed_case.contact == {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@example.fr",
    }
    assert filed_case.person_email == "camille@example.fr"
    login = Client(HTTP_HOST=HOST).post(
        "/connexion/", {"email": "camille@example.fr", "password": factories.PASSWORD}
    )
    assert login.status_code == 422
    assert PrivacyEvent.objects.get(kind="account_closed").detail == {
        "drafts_deleted": 1,
        "cases_kept": 1,
    }


def test_close_account__an_agent_cannot_close_their_own(agent):
    response = client_as(agent).post("/mon-compte/mes-donnees/", {"confirm": "on"})

    agent.refresh_from_db()
    assert response.status_code == 422
    assert agent.is_active


# --- The data protection officer ------------------------------------------------------------


@pytest.fixture
def dpo(city, agent):
    officer = factories.agent(city, "dpd@example.fr")
    DataProtectionOfficer.objects.create(authority=city, user=officer)
    return officer


def test_access_log__lists_agents_openings_of_cases_and_exports_them(dpo, agent, filed_case):
    client_as(agent).get(f"/agents/dossiers/{filed_case.pk}/")
    client = client_as(dpo)

    page = client.get("/agents/rgpd/journal-des-acces/?agent=agent@")
    export = client.get("/agents/rgpd/journal-des-acces.csv?agent=agent@")

    assert page.status_code == 200
    assert "agent@example.fr" in page.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(b"".join(export.streaming_content).decode().lstrip("\ufeff")),
            delimiter=";",
        )
    )
    assert rows[0] == ["date", "agent", "action", "objet", "identifiant"]
    assert [row[1:] for row in rows[1:]] == [
        ["agent@example.fr", "dossier consulté", "engine.case", str(filed_case.pk)]
    ]


def test_access_log__is_for_the_officer_and_administrators_only(dpo, agent, city, other_city):
    admin = factories.person(city, "admin@example.fr", is_authority_admin=True)
    foreign_dpo = factories.agent(other_city, "dpd@example.fr")
    DataProtectionOfficer.objects.create(authority=other_city, user=foreign_dpo)

    assert client_as(agent).get("/agents/rgpd/journal-des-acces/").status_code == 404
    assert client_as(foreign_dpo).get("/agents/rgpd/journal-des-acces/").status_code == 404
    assert client_as(admin).get("/agents/rgpd/journal-des-acces/").status_code == 200
    assert client_as(dpo).get("/agents/rgpd/registre/").status_code == 200


def test_register__one_entry_per_published_procedure_from_its_definition(dpo, procedure):
    procedure.retention_days = 365 * 5
    procedure.save()

    page = html.unescape(client_as(dpo).get("/agents/rgpd/registre/").content.decode())

    assert f"<h2>{procedure.name}</h2>" in page
    assert "5 ans après la clôture du dossier, puis anonymisation" in page
    assert "<li>Type d'acte</li>" in page
    assert "<li>Nom de la personne concernée</li>" in page
    assert "Agents du service" in page
