import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.associations.models import BudgetLine, SubsidyApplication
from guichet.core.errors import DomainError
from guichet.engine.models import Case
from tests.associations import factories as assoc


def _form(**changes):
    today = timezone.localdate()
    data = {
        "submission_key": "form-1",
        "project_title": "Fête du parc",
        "project_goals": "Réunir les habitants autour d'un concert.",
        "project_public": "300 habitants",
        "project_place": "Parc municipal",
        "starts_on": (today + datetime.timedelta(days=30)).isoformat(),
        "ends_on": (today + datetime.timedelta(days=31)).isoformat(),
        "amount_requested": "4 000,00",
        "other_funders": "",
        "sworn_statement": "on",
        "charges-TOTAL_FORMS": "6",
        "charges-INITIAL_FORMS": "0",
        "resources-TOTAL_FORMS": "4",
        "resources-INITIAL_FORMS": "0",
        "charges-0-category": "60",
        "charges-0-label": "Matériel",
        "charges-0-amount": "3000",
        "charges-1-category": "62",
        "charges-1-label": "Location de scène",
        "charges-1-amount": "2000",
        "resources-0-category": "75",
        "resources-0-label": "Cotisations",
        "resources-0-amount": "1000",
    }
    return data | changes


@pytest.fixture
def ready(organisation, treasurer, call, subsidy_procedure):
    assoc.full_vault(organisation, treasurer)
    return call


def test_apply__files_a_prefilled_case_for_the_organisation(
    treasurer_client, treasurer, organisation, ready
):
    response = treasurer_client.post(
        reverse("frontoffice:associations_apply", args=[ready.pk]), _form()
    )

    application = SubsidyApplication.objects.get()
    case = application.case
    assert response.status_code == 302
    assert case.status == "submitted"
    assert case.number.startswith(f"{timezone.localdate().year}-SUB-")
    assert (case.applicant, case.organisation) == (treasurer, organisation)
    assert case.prefilled == {
        "fields": [
            "email",
            "organisation_address",
            "organisation_name",
            "representative",
            "representative_role",
            "rna",
            "siret",
        ],
        "documents": ["statutes", "board_list", "bank_details", "accounts", "insurance"],
    }
    assert case.data["siret"] == "73282932000074"
    assert case.data["representative_role"] == "trésorier ou trésorière"
    assert (
        application.total_charges,
        application.total_resources,
        application.amount_requested,
    ) == (Decimal("5000.00"), Decimal("5000.00"), Decimal("4000.00"))
    assert list(BudgetLine.objects.values_list("side", "category", "amount")) == [
        ("charge", "60", Decimal("3000.00")),
        ("charge", "62", Decimal("2000.00")),
        ("resource", "75", Decimal("1000.00")),
        ("resource", "74-authority", Decimal("4000.00")),
    ]
    assert sorted(case.attachments.values_list("field_name", flat=True)) == [
        "accounts",
        "bank_details",
        "board_list",
        "insurance",
        "statutes",
    ]


def test_apply__an_unbalanced_budget_is_refused_with_the_difference_and_nothing_lost(
    treasurer_client, ready
):
    response = treasurer_client.post(
        reverse("frontoffice:associations_apply", args=[ready.pk]),
        _form(**{"charges-1-amount": "2500,50"}),
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert (
        "Le budget n&#x27;est pas équilibré : les charges et les produits (montant demandé "
        "compris) diffèrent de 500,50 €. Ajoutez 500,50 € de produits ou corrigez les montants."
    ) in content
    assert (
        "Total des charges : 5500,50 € — total des produits, montant demandé compris : 5000,00 €."
        in content
    )
    for typed in (
        'value="Fête du parc"',
        'value="2500,50"',
        'value="Location de scène"',
        "Réunir les habitants autour d&#x27;un concert.",
        'value="form-1"',
    ):
        assert typed in content, typed
    assert Case.objects.filed().count() == 0
    assert SubsidyApplication.objects.count() == 0


def test_apply__submitted_twice_files_once(treasurer_client, ready):
    url = reverse("frontoffice:associations_apply", args=[ready.pk])

    first = treasurer_client.post(url, _form())
    second = treasurer_client.post(url, _form())

    assert first["Location"] == second["Location"]
    assert SubsidyApplication.objects.count() == 1
    assert Case.objects.filed().count() == 1


def test_apply__an_expired_vault_document_is_not_reused(
    city, treasurer, organisation, call, subsidy_procedure
):
    assoc.full_vault(
        organisation, treasurer, valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )

    with pytest.raises(DomainError) as error:
        assoc.application(call, organisation, treasurer)

    assert error.value.message == (
        "Pièces manquantes ou périmées : Liste des dirigeants, Relevé d'identité bancaire, "
        "Derniers comptes approuvés."
    )


def test_apply__a_closed_call_refuses(city, treasurer, organisation, call, subsidy_procedure):
    assoc.full_vault(organisation, treasurer)
    call.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    call.save(update_fields=["closes_on"])

    with pytest.raises(DomainError) as error:
        assoc.application(call, organisation, treasurer)

    assert error.value.message == "Cet appel à projets n'est pas ouvert."


def test_apply__someone_who_does_not_represent_the_organisation_cannot(
    city, organisation, call, subsidy_procedure, treasurer
):
    from tests import factories

    assoc.full_vault(organisation, treasurer)
    stranger = factories.person(city, "intrus@example.fr")

    with pytest.raises(DomainError):
        assoc.application(call, organisation, stranger)
    assert SubsidyApplication.objects.count() == 0


def test_apply__add_lines_without_javascript_keeps_what_was_typed(treasurer_client, ready):
    response = treasurer_client.post(
        reverse("frontoffice:associations_apply", args=[ready.pk]), _form(add_lines="1")
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="charges-TOTAL_FORMS" value="8"' in content
    assert 'name="resources-TOTAL_FORMS" value="6"' in content
    assert 'name="charges-1-label" value="Location de scène"' in content
    assert 'value="form-1"' in content
    assert "Le formulaire contient des erreurs" not in content
    assert SubsidyApplication.objects.count() == 0


def test_apply__the_case_gets_a_copy_of_the_vault_files_not_the_same_file(
    organisation, treasurer, call, subsidy_procedure
):
    assoc.full_vault(organisation, treasurer)

    application = assoc.application(call, organisation, treasurer)

    attachment = application.case.attachments.get(field_name="statutes")
    document = organisation.vault_documents.get(kind="statutes")
    assert attachment.file.name != document.file.name
    attachment.file.delete(save=False)  # as erasing the case at the end of its retention does
    assert document.file.storage.exists(document.file.name)
