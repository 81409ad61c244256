from django.core.management import call_command

from guichet.accounts.models import Organisation, Representative
from guichet.associations.models import (
    CallForProjects,
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
            # two associations per authority, and the five sports clubs of the facilities demo
            "Organisation": 14,
            "Representative": 16,
            "VaultDocument": 24,
            "CallForProjects": 4,
            "SubsidyApplication": 6,
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


def test_demo__every_associations_page_opens(db):
    from django.test import Client
    from django.urls import reverse

    from guichet.accounts.models import User
    from guichet.associations.models import CommitteeSession

    call_command("seed_demo", verbosity=0)
    host = "ville-demo.localhost"
    camille = User.objects.get(authority__slug="ville-demo", email="camille.martin@example.fr")
    agent = User.objects.get(authority__slug="ville-demo", email="agent@ville-demo.fr")
    park = Organisation.objects.get(authority__slug="ville-demo", name="Les Amis du Parc")
    festival = Organisation.objects.get(
        authority__slug="ville-demo", name="Comité des fêtes du Vieux-Bourg"
    )
    jean = festival.representatives.get().user
    call = CallForProjects.objects.get(authority__slug="ville-demo", title="Vie de quartier 2027")
    resident = Client(HTTP_HOST=host)
    resident.force_login(camille)
    president = Client(HTTP_HOST=host)
    president.force_login(jean)
    office = Client(HTTP_HOST=host)
    office.force_login(agent)
    applications = SubsidyApplication.objects.filter(authority__slug="ville-demo")
    pages = [
        (resident, reverse("frontoffice:associations_home")),
        (resident, reverse("frontoffice:associations_organisation", args=[park.pk])),
        (resident, reverse("frontoffice:associations_apply", args=[call.pk])),
        *[
            (president, reverse("frontoffice:associations_application", args=[festival.pk, a.pk]))
            for a in applications
        ],
        (office, reverse("backoffice:associations_calls")),
        (office, reverse("backoffice:associations_call", args=[call.pk])),
        *[
            (office, reverse("backoffice:associations_application", args=[a.pk]))
            for a in applications
        ],
        (office, reverse("backoffice:associations_opinions")),
        (office, reverse("backoffice:associations_sessions")),
        (
            office,
            reverse(
                "backoffice:associations_session",
                args=[CommitteeSession.objects.filter(authority__slug="ville-demo").get().pk],
            ),
        ),
        (office, reverse("backoffice:facilities_loans")),
    ]

    statuses = [client.get(url).status_code for client, url in pages]

    assert statuses == [200] * len(pages)
