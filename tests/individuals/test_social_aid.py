import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from guichet.core.errors import DomainError
from guichet.engine.models import Case
from guichet.individuals import social_aid
from guichet.individuals.models import AidInstalment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def departement(db):
    made = factories.authority("departement-a", kind="departement")
    factories.procedure_from(made, "individuals/procedures/social_aid.yaml")
    factories.procedure_from(made, "individuals/procedures/situation_change.yaml")
    return made


@pytest.fixture
def beneficiary(departement):
    return factories.person(departement, "jeanne@example.fr", first_name="Jeanne", last_name="Roux")


@pytest.fixture
def instructor(departement):
    return factories.agent(departement, "instructeur@example.fr", services=("aide-sociale",))


@pytest.fixture
def beneficiary_client(client, beneficiary):
    client.defaults["HTTP_HOST"] = "departement-a.localhost"
    client.force_login(beneficiary)
    return client


def _apply(departement, beneficiary, kind="apa"):
    return social_aid.aid_apply(
        authority=departement,
        applicant=beneficiary,
        kind=kind,
        household_size=1,
        household="",
        monthly_resources=Decimal("1250.50"),
    )


def _to_assessment(application, instructor):
    return social_aid.aid_appointment_set(
        application=application,
        at=datetime.datetime(2027, 1, 14, 10, 30, tzinfo=datetime.UTC),
        place="à domicile",
        by=instructor,
    )


def test_aid_apply__files_the_case_and_asks_the_checklist(departement, beneficiary):
    application = _apply(departement, beneficiary)

    assert application.case.status == "submitted"
    assert application.case.number.endswith("-AIDE-000001")
    assert list(application.documents.values_list("code", flat=True)) == [
        "identity",
        "tax_notice",
        "bank_details",
    ]


def test_aid_decide__grants_with_gir_amount_start_date_plan_and_letter(
    departement, beneficiary, instructor
):
    application = _to_assessment(_apply(departement, beneficiary), instructor)

    social_aid.aid_decide(
        application=application,
        by=instructor,
        gir=2,
        monthly_amount=Decimal("812.40"),
        start_date=datetime.date(2027, 2, 15),
    )

    application.refresh_from_db()
    assert (application.case.status, application.gir, application.monthly_amount) == (
        "accepted",
        2,
        Decimal("812.40"),
    )
    plan = list(AidInstalment.objects.values_list("due_date", "amount"))
    assert len(plan) == 12
    assert plan[0] == (datetime.date(2027, 2, 1), Decimal("812.40"))
    assert plan[-1] == (datetime.date(2028, 1, 1), Decimal("812.40"))
    text = PdfReader(BytesIO(application.letter.file.read())).pages[0].extract_text()
    assert "Notification de décision" in text
    assert "812,40 € par mois" in text
    assert "GIR 2" in text


def test_aid_decide__apa_needs_gir_1_to_4(departement, beneficiary, instructor):
    application = _to_assessment(_apply(departement, beneficiary), instructor)

    with pytest.raises(DomainError) as refused:
        social_aid.aid_decide(
            application=application,
            by=instructor,
            gir=5,
            monthly_amount=Decimal("300"),
            start_date=datetime.date(2027, 2, 1),
        )

    assert refused.value.message == "L'APA est accordée aux GIR 1 à 4 ; en GIR 5, refusez l'aide."
    application.refresh_from_db()
    assert (application.case.status, application.monthly_amount) == ("assessment", None)
    assert AidInstalment.objects.count() == 0


def test_beneficiary_space__documents_messages_change_of_situation(
    beneficiary_client, departement, beneficiary, instructor
):
    application = _apply(departement, beneficiary)
    page = beneficiary_client.get(f"/aide-sociale/{application.pk}/").content.decode()
    assert "Envoyez les pièces demandées ci-dessous." in page

    for code in ("identity", "tax_notice", "bank_details"):
        response = beneficiary_client.post(
            f"/aide-sociale/{application.pk}/pieces/{code}/",
            {"document": factories.pdf_upload(f"{code}.pdf")},
        )
        assert response.status_code == 302
    beneficiary_client.post(f"/aide-sociale/{application.pk}/message/", {"body": "Merci !"})
    changed = beneficiary_client.post(
        f"/aide-sociale/{application.pk}/changement/",
        {"change_date": "01/03/2027", "description": "Mon fils vient vivre chez moi."},
    )

    assert changed.status_code == 302
    page = beneficiary_client.get(f"/aide-sociale/{application.pk}/").content.decode()
    assert "envoyée (bank_details.pdf)" in page
    assert "Merci !" in page
    change = application.situation_changes.get()
    assert change.case.procedure.slug == "changement-situation"
    assert change.case.number in page
    assert "Le service examine votre demande" in page


def test_beneficiary_space__a_text_file_is_refused_and_nothing_is_attached(
    beneficiary_client, departement, beneficiary
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = _apply(departement, beneficiary)

    response = beneficiary_client.post(
        f"/aide-sociale/{application.pk}/pieces/identity/",
        {"document": SimpleUploadedFile("id.pdf", b"not a pdf\n" * 20, "application/pdf")},
    )

    assert response.status_code == 422
    assert application.documents.get(code="identity").attachment is None


def test_beneficiary_space__another_person_application_is_404(client, departement, beneficiary):
    application = _apply(departement, beneficiary)
    other = factories.person(departement, "autre@example.fr")
    client.defaults["HTTP_HOST"] = "departement-a.localhost"
    client.force_login(other)

    assert client.get(f"/aide-sociale/{application.pk}/").status_code == 404
    response = client.post(
        f"/aide-sociale/{application.pk}/changement/",
        {"change_date": "01/03/2027", "description": "x"},
    )
    assert response.status_code == 404
    assert Case.objects.filter(procedure__slug="changement-situation").count() == 0


def test_agent_pages__appointment_then_decision_through_http(
    client, departement, beneficiary, instructor
):
    application = _apply(departement, beneficiary)
    client.defaults["HTTP_HOST"] = "departement-a.localhost"
    client.force_login(instructor)
    url = f"/agents/aide-sociale/{application.pk}/"

    client.post(url, {"action": "appointment", "at": "14/01/2027 10:30", "place": "à domicile"})
    refused = client.post(
        url, {"action": "decide", "gir": "6", "monthly_amount": "300", "start_date": "01/02/2027"}
    )
    granted = client.post(
        url,
        {"action": "decide", "gir": "3", "monthly_amount": "640,25", "start_date": "01/02/2027"},
    )

    assert refused.status_code == 422
    assert "en GIR 6, refusez l&#x27;aide" in refused.content.decode()
    assert granted.status_code == 302
    application.refresh_from_db()
    assert (application.gir, application.monthly_amount) == (3, Decimal("640.25"))
    assert application.case.messages.get().body.startswith("Rendez-vous d'évaluation le")


def test_agent_pages__an_agent_of_another_service_gets_404(client, departement, beneficiary):
    application = _apply(departement, beneficiary)
    civil_agent = factories.agent(departement, "ec@example.fr", services=("etat-civil",))
    client.defaults["HTTP_HOST"] = "departement-a.localhost"
    client.force_login(civil_agent)

    response = client.post(
        f"/agents/aide-sociale/{application.pk}/",
        {"action": "appointment", "at": "14/01/2027 10:30", "place": "x"},
    )

    assert response.status_code == 404
    application.refresh_from_db()
    assert application.appointment_at is None
