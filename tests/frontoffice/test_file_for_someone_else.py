from django.core import mail

from guichet.engine import services
from guichet.engine.models import Case
from tests import factories


def test_case_start__for_someone_else_keeps_their_contact_and_prefills_their_name(
    city_client, procedure, resident
):
    city_client.force_login(resident)

    response = city_client.post(
        "/demarches/acte-etat-civil/commencer/",
        {
            "for_whom": "other",
            "first_name": "Lucien",
            "last_name": "Martin",
            "email": "lucien@example.fr",
        },
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dossiers/{case.pk}/etape/0/"
    assert case.contact == {
        "first_name": "Lucien",
        "last_name": "Martin",
        "email": "lucien@example.fr",
    }
    assert (case.applicant, case.filed_by) == (resident, resident)
    page_two = city_client.get(f"/dossiers/{case.pk}/etape/1/")
    assert 'value="Lucien"' in page_two.content.decode()


def test_case_start__for_someone_else_requires_their_name_and_creates_nothing(
    city_client, procedure, resident
):
    city_client.force_login(resident)

    response = city_client.post("/demarches/acte-etat-civil/commencer/", {"for_whom": "other"})

    assert response.status_code == 422
    assert (
        "Indiquez-le pour une demande faite pour une autre personne." in response.content.decode()
    )
    assert Case.objects.count() == 0


def test_case_claim__the_beneficiary_takes_over_a_case_filed_for_them(
    city_client, city, procedure, resident, django_capture_on_commit_callbacks
):
    case = services.case_start(
        procedure=procedure,
        applicant=resident,
        filed_by=resident,
        contact={"first_name": "Lucien", "last_name": "Martin", "email": "lucien@example.fr"},
    )
    services.case_answers_save(
        case=case,
        answers=dict(factories.CIVIL_STATUS_ANSWERS),
        uploads={"id_document": factories.pdf_upload()},
        by=resident,
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_submit(case=case, by=resident)
    receipt = next(m for m in mail.outbox if m.to == ["lucien@example.fr"])
    assert case.tracking_code in receipt.body
    beneficiary = factories.person(
        city, "lucien@example.fr", first_name="Lucien", last_name="Martin"
    )
    city_client.force_login(beneficiary)

    response = city_client.post(
        "/suivi/", {"number": case.number, "tracking_code": case.tracking_code, "claim": "1"}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.applicant, case.filed_by) == (beneficiary, resident)


def test_case_claim__refuses_a_residents_own_case_and_changes_nothing(
    city_client, city, filed_case, resident
):
    intruder = factories.person(city, "intrus@example.fr")
    city_client.force_login(intruder)

    response = city_client.post(
        "/suivi/",
        {"number": filed_case.number, "tracking_code": filed_case.tracking_code, "claim": "1"},
    )

    assert response.status_code == 422
    assert "déjà suivi dans le compte de son demandeur" in response.content.decode()
    filed_case.refresh_from_db()
    assert filed_case.applicant == resident


def test_case_claim__once_taken_over_the_filer_cannot_take_it_back(
    city_client, city, procedure, resident
):
    case = services.case_start(
        procedure=procedure,
        applicant=resident,
        filed_by=resident,
        contact={"first_name": "Lucien", "last_name": "Martin", "email": "lucien@example.fr"},
    )
    services.case_answers_save(
        case=case,
        answers=dict(factories.CIVIL_STATUS_ANSWERS),
        uploads={"id_document": factories.pdf_upload()},
        by=resident,
    )
    case = services.case_submit(case=case, by=resident)
    beneficiary = factories.person(city, "lucien@example.fr")
    services.case_claim(case=case, user=beneficiary)
    city_client.force_login(resident)

    response = city_client.post(
        "/suivi/", {"number": case.number, "tracking_code": case.tracking_code, "claim": "1"}
    )

    assert response.status_code == 422
    case.refresh_from_db()
    assert case.applicant == beneficiary


def test_case_claim__a_claimed_counter_case_cannot_be_claimed_again(
    city_client, city, procedure, agent, resident
):
    case = services.case_intake(
        procedure=procedure,
        agent=agent,
        channel="counter",
        contact={"first_name": "Camille", "last_name": "Martin"},
        answers=dict(factories.CIVIL_STATUS_ANSWERS),
        uploads={"id_document": factories.pdf_upload()},
        scan=None,
    )
    services.case_claim(case=case, user=resident)
    other = factories.person(city, "autre@example.fr")
    city_client.force_login(other)

    response = city_client.post(
        "/suivi/", {"number": case.number, "tracking_code": case.tracking_code, "claim": "1"}
    )

    assert response.status_code == 422
    assert "déjà suivi dans le compte de son demandeur" in response.content.decode()
    case.refresh_from_db()
    assert case.applicant == resident
