import re

from django.core import mail

from guichet.core.models import AuditEvent
from guichet.engine import services
from guichet.engine.models import CannedReply, Case, CaseTransition, InternalNote, Message
from tests import factories


def test_case__page_shows_the_case_and_records_the_opening(agent_client, filed_case, agent):
    response = agent_client.get(f"/agents/dossiers/{filed_case.pk}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert f"Dossier {filed_case.number} — Demande d&#x27;acte d&#x27;état civil" in content
    assert filed_case.tracking_code in content
    assert "Demande reçue" in content
    assert "<dt>Type d&#x27;acte</dt><dd>Acte de naissance</dd>" in content
    attachment = filed_case.attachments.get()
    assert f'href="/agents/dossiers/{filed_case.pk}/documents/{attachment.pk}/">piece.pdf</a>' in (
        content
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.CASE_VIEWED)
    assert (event.actor, event.object_id) == (agent, str(filed_case.pk))


def test_case__offers_one_form_per_allowed_transition(city, city_client, resident):
    """A procedure no domain instructs on its own pages: each step of its workflow."""
    case = factories.event_declaration_case(factories.event_declaration_procedure(city), resident)
    manager = factories.agent(
        city, "manager@example.fr", role="manager", services=("vie-associative",)
    )
    city_client.force_login(manager)

    content = city_client.get(f"/agents/dossiers/{case.pk}/").content.decode()

    buttons = re.findall(r'<button type="submit" class="button">([^<]+)</button>', content)
    assert buttons[:3] == ["Demander des pièces", "Autoriser", "Refuser"]
    assert content.count('name="name"') == 3
    ids = re.findall(r' id="([^"]+)"', content)
    assert len(ids) == len(set(ids))


def test_case_transition__the_button_moves_the_case_and_logs_the_agent(
    agent_client, filed_case, agent
):
    response = agent_client.post(
        f"/agents/dossiers/{filed_case.pk}/transition/", {"name": "take", "comment": ""}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/agents/dossiers/{filed_case.pk}/"
    filed_case.refresh_from_db()
    assert filed_case.status == "in_review"
    last = CaseTransition.objects.filter(case=filed_case).last()
    assert (last.from_status, last.to_status, last.actor) == ("submitted", "in_review", agent)


def test_case_transition__comment_required_is_enforced(agent_client, filed_case, agent):
    services.case_transition(case=filed_case, name="take", by=agent)

    response = agent_client.post(
        f"/agents/dossiers/{filed_case.pk}/transition/", {"name": "ask_documents", "comment": " "}
    )

    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert "Commentaire pour le demandeur : Ce champ est obligatoire." in response.content.decode()
    filed_case.refresh_from_db()
    assert filed_case.status == "in_review"


def test_case_transition__with_its_comment(agent_client, filed_case, agent):
    services.case_transition(case=filed_case, name="take", by=agent)

    agent_client.post(
        f"/agents/dossiers/{filed_case.pk}/transition/",
        {"name": "ask_documents", "comment": "Merci de joindre un justificatif."},
    )

    filed_case.refresh_from_db()
    assert filed_case.status == "waiting_documents"
    last = filed_case.transitions.last()
    assert last.comment == "Merci de joindre un justificatif."


def test_case_transition__not_from_this_status_is_refused(agent_client, filed_case):
    response = agent_client.post(
        f"/agents/dossiers/{filed_case.pk}/transition/",
        {"name": "ask_documents", "comment": "Merci."},
        follow=True,
    )

    assert "Le dossier n&#x27;est plus dans l&#x27;état attendu" in response.content.decode()
    filed_case.refresh_from_db()
    assert filed_case.status == "submitted"


def test_bulk__applies_the_transition_and_counts_the_skipped(
    agent_client, filed_case, counter_case, agent, city
):
    roads = factories.agent(city, "chef@example.fr", services=("voirie",))
    other = Case.objects.create(
        authority=city,
        procedure=filed_case.procedure,
        version=filed_case.version,
        service=factories.service(city, "voirie"),
        channel="web",
        number="2026-X-1",
        status="submitted",
        applicant=roads,
    )

    response = agent_client.post(
        "/agents/dossiers/action-groupee/",
        {
            "case_ids": [filed_case.pk, counter_case.pk, other.pk],
            "name": "take",
            "next": "/agents/?queue=all",
        },
        follow=True,
    )

    assert response.redirect_chain == [("/agents/?queue=all", 302)]
    assert "2 dossiers traités, 1 ignorés" in response.content.decode()
    statuses = dict(Case.objects.values_list("pk", "status"))
    assert statuses == {
        filed_case.pk: "in_review",
        counter_case.pk: "in_review",
        other.pk: "submitted",
    }


def test_bulk__without_a_case_does_nothing(agent_client, filed_case):
    response = agent_client.post("/agents/dossiers/action-groupee/", {"name": "take"}, follow=True)

    assert "Cochez au moins un dossier et choisissez une action." in response.content.decode()
    filed_case.refresh_from_db()
    assert filed_case.status == "submitted"


def test_message__insert_puts_the_canned_reply_in_the_text_without_sending(
    agent_client, filed_case, city
):
    reply = CannedReply.objects.create(authority=city, title="Délai", body="Comptez 10 jours.")

    response = agent_client.post(
        f"/agents/dossiers/{filed_case.pk}/message/",
        {"body": "Bonjour,", "canned": reply.pk, "insert": "1"},
    )

    assert response.status_code == 200
    assert (
        'id="message-body">\nBonjour,\n\nComptez 10 jours.</textarea>' in response.content.decode()
    )
    assert Message.objects.count() == 0


def test_message__is_sent_to_the_applicant(
    agent_client, filed_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            f"/agents/dossiers/{filed_case.pk}/message/", {"body": "Votre acte est prêt."}
        )

    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.body, message.is_from_applicant) == ("Votre acte est prêt.", False)
    assert [m.to for m in mail.outbox] == [["camille@example.fr"]]


def test_message__empty_is_refused(agent_client, filed_case):
    response = agent_client.post(f"/agents/dossiers/{filed_case.pk}/message/", {"body": ""})

    assert response.status_code == 422
    assert "Message au demandeur : Écrivez le message." in response.content.decode()
    assert Message.objects.count() == 0


def test_note__is_kept_internal(agent_client, filed_case, agent):
    agent_client.post(f"/agents/dossiers/{filed_case.pk}/note/", {"body": "Appeler la mairie."})

    note = InternalNote.objects.get()
    assert (note.body, note.author) == ("Appeler la mairie.", agent)


def test_assign__to_me(agent_client, filed_case, agent):
    agent_client.post(f"/agents/dossiers/{filed_case.pk}/attribuer/", {"agent": agent.pk})

    filed_case.refresh_from_db()
    assert filed_case.assigned_to == agent
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CASE_ASSIGNED).count() == 1


def test_assign__an_unknown_agent_is_refused(agent_client, filed_case, resident):
    response = agent_client.post(
        f"/agents/dossiers/{filed_case.pk}/attribuer/", {"agent": resident.pk}
    )

    assert response.status_code == 422
    filed_case.refresh_from_db()
    assert filed_case.assigned_to is None


def test_attachment__downloads(agent_client, filed_case):
    attachment = filed_case.attachments.get()

    response = agent_client.get(f"/agents/dossiers/{filed_case.pk}/documents/{attachment.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == factories.TINY_PDF
    assert response["Content-Disposition"] == 'attachment; filename="piece.pdf"'


def test_case__shows_the_deadline_paused_while_waiting_for_documents(
    agent_client, filed_case, agent
):
    services.case_transition(case=filed_case, name="take", by=agent)
    services.case_transition(case=filed_case, name="ask_documents", by=agent, comment="Pièce ?")

    content = agent_client.get(f"/agents/dossiers/{filed_case.pk}/").content.decode()

    deadline = filed_case.deadlines.get()
    assert f"À traiter avant le {deadline.due_at:%-d}" in content
    assert "<strong>en pause</strong>" in content
