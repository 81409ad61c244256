"""Residents' journeys through the front office, over HTTP on the city's host name."""

import io
import re

import pypdf
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.accounts.models import User
from guichet.cli.demo_data import TINY_PDF
from guichet.engine import services
from guichet.engine.models import Case, CaseTransition, Channel, Satisfaction
from tests import factories

PAGE_1 = {
    "act_type": "birth",
    "copy_kind": "extract",
    "event_date": "1990-04-12",
    "copies": "2",
    "next": "1",
}
PAGE_2 = {
    "last_name": "Dupont",
    "first_name": "Jeanne",
    "phone": "06 12 34 56 78",
    "address": "3 place de la Mairie",
    "next": "1",
}


def _start(client) -> Case:
    response = client.post("/demarches/acte-etat-civil/commencer/", {"for_whom": "self"})
    case = Case.objects.get()
    assert response["Location"] == f"/dossiers/{case.pk}/etape/0/"
    return case


def _fill(client, case: Case) -> None:
    first = client.post(f"/dossiers/{case.pk}/etape/0/", PAGE_1)
    assert first["Location"] == f"/dossiers/{case.pk}/etape/1/"
    second = client.post(
        f"/dossiers/{case.pk}/etape/1/",
        PAGE_2 | {"id_document": SimpleUploadedFile("id.pdf", TINY_PDF, "application/pdf")},
    )
    assert second["Location"] == f"/dossiers/{case.pk}/verifier/"


@pytest.fixture
def resident_client(city_client, resident, procedure):
    city_client.force_login(resident)
    return city_client


def test_catalogue__lists_procedures_grouped_by_domain(city_client, city, procedure):
    factories.event_declaration_procedure(city)

    page = city_client.get("/demarches/").content.decode()

    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings == ["Associations et personnes morales", "Services aux particuliers"]
    associations, individuals = page.split("<h2>Services aux particuliers</h2>")
    assert "Déclaration de manifestation publique" in associations
    assert "Demande d&#x27;acte d&#x27;état civil" in individuals


def test_catalogue__search_filters_procedures(city_client, city, procedure):
    factories.event_declaration_procedure(city)

    page = city_client.get("/demarches/", {"q": "manifestation"}).content.decode()

    assert "1 démarche trouvée" in page
    assert "Déclaration de manifestation publique" in page
    assert "acte d&#x27;état civil" not in page


def test_case_journey__from_start_to_receipt(
    resident_client, resident, tenant_scope_guard, django_capture_on_commit_callbacks
):
    case = _start(resident_client)
    assert resident_client.get(f"/dossiers/{case.pk}/etape/0/").status_code == 200
    _fill(resident_client, case)
    review = resident_client.get(f"/dossiers/{case.pk}/verifier/")
    assert review.status_code == 200
    assert "Dupont" in review.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        submitted = resident_client.post(f"/dossiers/{case.pk}/verifier/")

    assert submitted["Location"] == f"/dossiers/{case.pk}/recu/"
    case.refresh_from_db()
    assert case.status == "submitted"
    assert case.data["last_name"] == "Dupont"
    assert case.data["copies"] == "2"
    assert case.data["id_document"]["name"] == "id.pdf"
    receipt = resident_client.get(f"/dossiers/{case.pk}/recu/").content.decode()
    assert f"<strong>{case.number}</strong>" in receipt
    assert f"<strong>{case.tracking_code}</strong>" in receipt
    assert [m.to for m in mail.outbox if "bien été reçue" in m.subject] == [[resident.email]]
    assert tenant_scope_guard.checked > 20  # the guard did see the views' queries


def test_case_receipt_pdf__downloads_a_pdf_naming_the_case(resident_client, filed_case):
    response = resident_client.get(f"/dossiers/{filed_case.pk}/accuse-reception.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="accuse-reception-{filed_case.number}.pdf"'
    )
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    assert filed_case.number in text


def test_case_review__double_post_files_one_case(resident_client, procedure, resident):
    case = _start(resident_client)
    _fill(resident_client, case)

    first = resident_client.post(f"/dossiers/{case.pk}/verifier/")
    second = resident_client.post(f"/dossiers/{case.pk}/verifier/")

    assert first["Location"] == f"/dossiers/{case.pk}/recu/"
    assert second["Location"] == f"/dossiers/{case.pk}/"
    assert Case.objects.count() == 1
    assert CaseTransition.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.number.endswith("-ACTE-000001")


def test_case_page__refuses_a_text_file_named_pdf_and_keeps_what_was_typed(resident_client):
    case = _start(resident_client)
    resident_client.post(f"/dossiers/{case.pk}/etape/0/", PAGE_1)

    response = resident_client.post(
        f"/dossiers/{case.pk}/etape/1/",
        PAGE_2
        | {"id_document": SimpleUploadedFile("id.pdf", b"not a pdf\n" * 20, "application/pdf")},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Le fichier « id.pdf » n&#x27;est pas d&#x27;un type accepté (PDF, JPEG, PNG)." in page
    assert 'value="Dupont"' in page
    case.refresh_from_db()
    assert case.data["last_name"] == "Dupont"
    assert "id_document" not in case.data
    assert case.attachments.count() == 0
    assert case.status == "draft"


def test_case_page__save_and_finish_later_keeps_the_draft(resident_client):
    case = _start(resident_client)

    response = resident_client.post(
        f"/dossiers/{case.pk}/etape/0/", {"act_type": "marriage", "save": "1"}
    )

    assert response["Location"] == "/mes-demarches/"
    case.refresh_from_db()
    assert (case.status, case.number, case.data["act_type"]) == ("draft", "", "marriage")
    my_cases = resident_client.get("/mes-demarches/").content.decode()
    drafts, _, filed = my_cases.partition("Demandes envoyées")
    assert f'href="/dossiers/{case.pk}/etape/0/"' in drafts
    assert "Brouillons à terminer" in drafts
    assert "Vous n'avez encore envoyé aucune demande." in filed


def test_tracking__without_account_shows_the_status(client, city, filed_case):
    client.defaults["HTTP_HOST"] = "ville-a.localhost"

    response = client.post(
        "/suivi/",
        {"number": filed_case.number, "tracking_code": filed_case.tracking_code.lower()},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Statut : <strong>Demande reçue</strong>" in page
    assert filed_case.number in page


def test_tracking__refuses_a_wrong_code(client, city, filed_case):
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    wrong = "ZZZZZZZZZZ" if filed_case.tracking_code != "ZZZZZZZZZZ" else "YYYYYYYYYY"

    response = client.post("/suivi/", {"number": filed_case.number, "tracking_code": wrong})

    assert response.status_code == 422
    page = response.content.decode()
    assert "Aucun dossier ne correspond à ce numéro et à ce code de suivi." in page
    assert "Demande reçue" not in page


def test_tracking__claim_attaches_a_counter_case_to_the_resident(
    resident_client, resident, procedure, agent
):
    case = services.case_intake(
        procedure=procedure,
        agent=agent,
        channel=Channel.COUNTER,
        contact={"first_name": "Camille", "last_name": "Martin"},
        answers=dict(factories.CIVIL_STATUS_ANSWERS),
        uploads={"id_document": factories.pdf_upload()},
        scan=None,
    )

    response = resident_client.post(
        "/suivi/", {"number": case.number, "tracking_code": case.tracking_code, "claim": "1"}
    )

    assert response["Location"] == f"/dossiers/{case.pk}/"
    case.refresh_from_db()
    assert (case.applicant, case.filed_by, case.channel) == (resident, agent, "counter")
    assert resident_client.get(f"/dossiers/{case.pk}/").status_code == 200


def test_case_satisfaction__recorded_once_after_closing(resident_client, filed_case, agent):
    services.case_transition(case=filed_case, name="take", by=agent)
    services.case_transition(case=filed_case, name="accept", by=agent)
    url = f"/dossiers/{filed_case.pk}/satisfaction/"

    first = resident_client.post(url, {"rating": "good", "understood": "4"})
    second = resident_client.post(url, {"rating": "bad", "understood": "1"})

    assert (first.status_code, second.status_code) == (302, 302)
    assert list(Satisfaction.objects.values_list("case", "rating", "understood")) == [
        (filed_case.pk, "good", 4)
    ]


def test_case_satisfaction__refused_while_the_case_is_open(resident_client, filed_case):
    response = resident_client.post(
        f"/dossiers/{filed_case.pk}/satisfaction/", {"rating": "good", "understood": "4"}
    )

    assert response.status_code == 302
    assert Satisfaction.objects.count() == 0


def _link(message) -> str:
    return re.search(r"https?://ville-a\.localhost(/\S+)", message.body).group(1)


def test_magic_link__logs_in_once(city_client, resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = city_client.post("/lien-de-connexion/", {"email": "CAMILLE@example.fr"})
    assert response["Location"] == "/connexion/"
    [message] = mail.outbox
    assert message.to == [resident.email]
    path = _link(message)

    shown = city_client.get(path)
    assert "Me connecter" in shown.content.decode()
    assert "_auth_user_id" not in city_client.session
    used = city_client.post(path)
    assert used["Location"] == "/mes-demarches/"
    assert city_client.session["_auth_user_id"] == str(resident.pk)

    city_client.logout()
    replay = city_client.post(path)
    assert replay["Location"] == "/connexion/"
    assert "_auth_user_id" not in city_client.session


def test_magic_link__unknown_address_sends_nothing(
    city_client, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = city_client.post("/lien-de-connexion/", {"email": "personne@example.fr"})

    assert response["Location"] == "/connexion/"
    assert mail.outbox == []


def test_register__sends_a_verification_link_that_verifies(
    city_client, city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = city_client.post(
            "/inscription/",
            {
                "first_name": "Paul",
                "last_name": "Durand",
                "email": "Paul.Durand@example.fr",
                "password": "un-mot-de-passe-solide",
            },
        )

    assert response["Location"] == "/mes-demarches/"
    user = User.objects.get(authority=city, email="paul.durand@example.fr")
    assert user.is_email_verified is False
    [message] = mail.outbox
    assert message.to == ["paul.durand@example.fr"]

    verified = city_client.get(_link(message))

    assert verified["Location"] == "/"
    user.refresh_from_db()
    assert user.is_email_verified is True


def test_register__refuses_an_existing_address_and_creates_nothing(city_client, city, resident):
    response = city_client.post(
        "/inscription/",
        {
            "first_name": "X",
            "last_name": "Y",
            "email": resident.email,
            "password": "un-mot-de-passe-solide",
        },
    )

    assert response.status_code == 422
    assert "Un compte existe déjà avec cette adresse." in response.content.decode()
    assert User.objects.filter(authority=city).count() == 1
