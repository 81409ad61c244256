from django.core.management import call_command

from guichet.accounts.models import Organisation, Representative
from guichet.associations.models import (
    CallForProjects,
    LoanableItem,
    LoanRequest,
    SubsidyApplication,
    VaultDocument,
)
from guichet.engine.models import Procedure

MODELS = (
    Organisation,
    Representative,
    VaultDocument,
    CallForProjects,
    SubsidyApplication,
    LoanableItem,
    LoanRequest,
)


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo__an_association_with_a_complete_vault_and_an_open_call_twice_the_same(db):
    call_command("seed_demo", verbosity=0)
    first = _counts()

    call_command("seed_demo", verbosity=0)

    assert (
        _counts()
        == first
        == {
            "Organisation": 4,
            "Representative": 6,
            "VaultDocument": 24,
            "CallForProjects": 4,
            "SubsidyApplication": 6,
            "LoanableItem": 8,
            "LoanRequest": 2,
        }
    )
    park = Organisation.objects.get(authority__slug="ville-demo", name="Les Amis du Parc")
    assert park.vault_documents.filter(replaced_at__isnull=True).count() == 6
    assert sorted(
        SubsidyApplication.objects.filter(authority__slug="ville-demo").values_list(
            "case__status", flat=True
        )
    ) == ["committee", "granted", "submitted"]
    assert not Procedure.objects.get(
        authority__slug="ville-demo", slug="demande-subvention"
    ).is_online
