import pytest
from django.urls import reverse

from guichet.associations.models import Opinion
from guichet.engine import services as engine
from guichet.engine.models import Case
from tests import factories
from tests.associations import factories as assoc


@pytest.fixture
def event_procedure(city):
    return factories.event_declaration_procedure(city)


def test_event_declaration__started_for_the_organisation_is_prefilled_from_it_and_its_vault(
    treasurer_client, treasurer, organisation, event_procedure
):
    assoc.full_vault(organisation, treasurer)

    treasurer_client.post(
        reverse("frontoffice:case_start", args=[event_procedure.slug]), {"for_whom": "self"}
    )

    case = Case.objects.get()
    assert case.organisation == organisation
    assert case.data["organisation_name"] == "Les Amis du Parc"
    assert case.data["siret"] == "73282932000074"
    assert case.data["insurance"]["name"] == "insurance.pdf"
    assert case.prefilled == {"fields": ["organisation_name", "siret"], "documents": ["insurance"]}
    page = treasurer_client.get(reverse("frontoffice:case_page", args=[case.pk, 0]))
    assert 'value="Les Amis du Parc"' in page.content.decode()


def test_event_declaration__a_person_acting_for_nobody_files_as_before(
    city, event_procedure, city_client
):
    resident = factories.resident(city)
    city_client.force_login(resident)

    city_client.post(
        reverse("frontoffice:case_start", args=[event_procedure.slug]), {"for_whom": "self"}
    )

    case = Case.objects.get()
    assert (case.organisation, case.prefilled, case.data) == (None, {}, {})


def test_event_declaration__routed_to_services_for_opinion_then_authorised_with_a_letter(
    client, city, treasurer, event_procedure, django_capture_on_commit_callbacks
):
    manager = factories.agent(
        city, "chef@example.fr", role="manager", services=("vie-associative",)
    )
    police = factories.service(city, "police")
    with django_capture_on_commit_callbacks(execute=True):
        case = factories.event_declaration_case(event_procedure, treasurer)
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(manager)
    url = reverse("backoffice:associations_case_opinions", args=[case.pk])

    assert client.get(url).status_code == 200
    client.post(
        url, {"services": [police.pk, factories.service(city, "voirie").pk], "question": "Avis ?"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        engine.case_transition(case=case, name="accept", by=manager)

    assert sorted(Opinion.objects.filter(case=case).values_list("service__slug", flat=True)) == [
        "police",
        "voirie",
    ]
    assert (
        case.attachments.filter(kind="generated", original_name__startswith="decision-").count()
        == 1
    )
