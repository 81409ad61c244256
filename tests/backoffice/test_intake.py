import re

from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.engine.models import Attachment, Case
from tests import factories


def _intake_data(**overrides):
    data = {
        "demandeur-channel": "counter",
        "demandeur-first_name": "Jeanne",
        "demandeur-last_name": "Dupont",
        "demandeur-phone": "0612345678",
        "demandeur-address": "3 place du Marché",
        "act_type": "birth",
        "copy_kind": "extract",
        "event_date": "1950-02-03",
        "copies": "2",
        "last_name": "Dupont",
        "first_name": "Jeanne",
        "address": "3 place du Marché",
        "id_document": factories.pdf_upload("cni.pdf"),
    }
    return data | overrides


def test_intake__lists_the_procedures_of_my_services(agent_client, procedure):
    content = agent_client.get("/agents/accueil/").content.decode()

    assert (
        '<a href="/agents/accueil/acte-etat-civil/">Demande d&#x27;acte d&#x27;état civil</a>'
        in (content)
    )


def test_intake__form_has_every_field_once(agent_client, procedure):
    content = agent_client.get("/agents/accueil/acte-etat-civil/").content.decode()

    ids = re.findall(r' id="([^"]+)"', content)
    assert len(ids) == len(set(ids))
    assert "<legend>L&#x27;acte demandé</legend>" in content
    assert '<label for="id_demandeur-last_name">Nom</label>' in content
    assert 'value="web"' not in content


def test_intake__creates_a_filed_case_for_a_person_without_account(agent_client, procedure, agent):
    response = agent_client.post("/agents/accueil/acte-etat-civil/", _intake_data(), follow=True)

    case = Case.objects.get()
    assert response.redirect_chain == [(f"/agents/dossiers/{case.pk}/", 302)]
    assert re.fullmatch(r"\d{4}-ACTE-\d{6}", case.number)
    assert (case.channel, case.filed_by, case.applicant, case.status) == (
        "counter",
        agent,
        None,
        "submitted",
    )
    assert case.contact == {
        "first_name": "Jeanne",
        "last_name": "Dupont",
        "phone": "06 12 34 56 78",
        "address": "3 place du Marché",
    }
    assert case.data["copies"] == "2"
    assert (
        f"Dossier {case.number} enregistré. Code de suivi à remettre au demandeur : "
        f"{case.tracking_code} — le demandeur pourra rattacher le dossier à son compte avec ce code."
    ) in response.content.decode()


def test_intake__for_an_existing_account_with_a_scanned_letter(agent_client, procedure, resident):
    data = _intake_data(
        **{
            "demandeur-channel": "post",
            "demandeur-account_email": "CAMILLE@example.fr",
            "demandeur-first_name": "",
            "demandeur-last_name": "",
            "demandeur-scan": factories.pdf_upload("courrier.pdf"),
        }
    )

    agent_client.post("/agents/accueil/acte-etat-civil/", data)

    case = Case.objects.get()
    assert (case.channel, case.applicant, case.contact) == ("post", resident, {})
    assert sorted(case.attachments.values_list("kind", "original_name")) == [
        (Attachment.Kind.FIELD, "cni.pdf"),
        (Attachment.Kind.SCAN, "courrier.pdf"),
    ]


def test_intake__invalid_upload_says_why_and_keeps_what_was_typed(agent_client, procedure):
    fake = SimpleUploadedFile("courrier.pdf", b"just some text\n", "application/pdf")

    response = agent_client.post(
        "/agents/accueil/acte-etat-civil/", _intake_data(**{"demandeur-scan": fake})
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert 'role="alert"' in content
    assert (
        "Courrier numérisé (PDF, JPEG ou PNG, 10 Mo maximum) : Le fichier « courrier.pdf » "
        "n&#x27;est pas d&#x27;un type accepté (PDF, JPEG, PNG)."
    ) in content
    assert 'name="demandeur-last_name" value="Dupont"' in content
    assert Case.objects.count() == 0


def test_intake__needs_a_name_or_an_account(agent_client, procedure):
    response = agent_client.post(
        "/agents/accueil/acte-etat-civil/",
        _intake_data(**{"demandeur-last_name": "", "demandeur-account_email": "nobody@example.fr"}),
    )

    assert response.status_code == 422
    assert "Aucun compte n&#x27;existe avec cette adresse." in response.content.decode()
    assert Case.objects.count() == 0


def test_intake__web_is_not_a_channel_for_agents(agent_client, procedure):
    response = agent_client.post(
        "/agents/accueil/acte-etat-civil/", _intake_data(**{"demandeur-channel": "web"})
    )

    assert response.status_code == 422
    assert Case.objects.count() == 0
