import re

import pytest
from django.urls import reverse

from guichet.accounts.models import Organisation, Representative
from guichet.notifications.models import OutgoingEmail
from tests import factories
from tests.associations import factories as assoc


def _login(client, user):
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(user)
    return client


def test_register__creates_the_organisation_with_its_first_representative(
    treasurer_client, treasurer
):
    response = treasurer_client.post(
        reverse("frontoffice:associations_register"),
        {
            "name": "Les Amis du Parc",
            "siret": "732 829 320 00074",
            "rna": "w451234567",
            "address": "1 place de la Mairie",
            "purpose": "Animer le parc.",
            "role": "treasurer",
        },
    )

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert (organisation.siret, organisation.rna) == ("73282932000074", "W451234567")
    assert list(organisation.representatives.values_list("user_id", "role")) == [
        (treasurer.pk, "treasurer")
    ]


def test_register__bad_siret_is_refused_and_keeps_what_was_typed(treasurer_client):
    response = treasurer_client.post(
        reverse("frontoffice:associations_register"),
        {
            "name": "Les Amis du Parc",
            "siret": "73282932000075",
            "rna": "W12",
            "address": "1 place",
            "purpose": "Animer.",
            "role": "treasurer",
        },
    )

    assert response.status_code == 422
    content = response.content.decode()
    assert "Ce numéro SIRET n&#x27;existe pas : sa clé de contrôle est fausse." in content
    assert "Un numéro RNA commence par W suivi de 9 chiffres" in content
    assert 'value="Les Amis du Parc"' in content
    assert Organisation.objects.count() == 0


def test_invite_then_accept__the_invited_person_acts_for_the_organisation(
    client, city, treasurer, organisation
):
    _login(client, treasurer)
    response = client.post(
        reverse("frontoffice:associations_invite", args=[organisation.pk]),
        {"email": "President@Example.fr", "role": "president"},
    )
    client.post(  # a double click invites once
        reverse("frontoffice:associations_invite", args=[organisation.pk]),
        {"email": "president@example.fr", "role": "president"},
    )
    assert response.status_code == 302
    mail = OutgoingEmail.objects.get(to="president@example.fr")
    url = re.search(r"http://\S+", mail.body).group(0)
    president = factories.person(city, "president@example.fr", first_name="Paul")

    _login(client, president)
    accepted = client.post(url)

    assert accepted.status_code == 302
    representative = Representative.objects.get(email="president@example.fr")
    assert (representative.user, representative.role) == (president, "president")
    page = client.get(reverse("frontoffice:associations_organisation", args=[organisation.pk]))
    assert page.status_code == 200


def test_invitation__cannot_be_taken_by_another_address(client, city, treasurer, organisation):
    from guichet.accounts import services

    invitation = services.representative_invite(
        organisation=organisation,
        by=treasurer,
        email="a@example.fr",
        role="member",
        accept_url="{token}",
    )
    intruder = factories.person(city, "b@example.fr")
    _login(client, intruder)

    client.post(reverse("frontoffice:associations_invitation", args=[invitation.invitation_token]))

    invitation.refresh_from_db()
    assert invitation.user is None
    response = client.get(reverse("frontoffice:associations_organisation", args=[organisation.pk]))
    assert response.status_code == 404


def test_leave__a_representative_who_leaves_loses_access_at_once(
    client, city, treasurer, organisation, call, subsidy_procedure
):
    secretary = factories.person(city, "secretaire@example.fr")
    from guichet.accounts import services

    invitation = services.representative_invite(
        organisation=organisation,
        by=treasurer,
        email=secretary.email,
        role="secretary",
        accept_url="{token}",
    )
    services.invitation_accept(authority=city, token=invitation.invitation_token, user=secretary)
    assoc.full_vault(organisation, secretary)
    application = assoc.application(call, organisation, secretary)
    _login(client, secretary)
    urls = [
        reverse("frontoffice:associations_organisation", args=[organisation.pk]),
        reverse("frontoffice:associations_application", args=[organisation.pk, application.pk]),
        reverse("frontoffice:case_detail", args=[application.case_id]),
    ]
    client.post(reverse("frontoffice:associations_acting_as"), {"organisation": organisation.pk})
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]

    left = client.post(
        reverse(
            "frontoffice:associations_representative_remove", args=[organisation.pk, invitation.pk]
        )
    )

    assert left.status_code == 302
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    # The organisation's case stays with it, followed by the remaining representative;
    # its log still says who filed it.
    application.case.refresh_from_db()
    assert application.case.applicant == treasurer
    assert application.case.transitions.first().actor == secretary
    home = client.get(reverse("frontoffice:associations_home"))
    assert urls[0] not in home.content.decode()


def test_leave__the_last_representative_cannot_leave(treasurer_client, treasurer, organisation):
    representative = organisation.representatives.get()

    treasurer_client.post(
        reverse(
            "frontoffice:associations_representative_remove",
            args=[organisation.pk, representative.pk],
        )
    )

    representative.refresh_from_db()
    assert representative.left_at is None


def test_acting_as__several_organisations_switch_explicitly(
    treasurer_client, city, treasurer, organisation, call
):
    other = assoc.organisation(city, treasurer, name="Club de judo", siret=assoc.OTHER_SIRET)
    apply_url = reverse("frontoffice:associations_apply", args=[call.pk])

    before = treasurer_client.get(apply_url).content.decode()
    treasurer_client.post(reverse("frontoffice:associations_acting_as"), {"organisation": other.pk})
    after = treasurer_client.get(apply_url).content.decode()

    # With two organisations, nobody is acted for until the person chooses.
    assert "Choisissez d'abord l'organisation" in before
    assert "Vous agissez pour Club de judo" in after
    treasurer_client.post(
        reverse("frontoffice:associations_acting_as"), {"organisation": organisation.pk}
    )
    assert "Vous agissez pour Les Amis du Parc" in treasurer_client.get(apply_url).content.decode()


@pytest.mark.parametrize("who", ["stranger", "other_city"])
def test_organisation_pages__are_404_to_non_representatives(
    client, city, other_city, organisation, who
):
    person = factories.person(city if who == "stranger" else other_city, "x@example.fr")
    _login(client, person)

    response = client.get(reverse("frontoffice:associations_organisation", args=[organisation.pk]))

    assert response.status_code == 404


def test_register__sent_twice_creates_one_organisation(treasurer_client):
    data = {
        "name": "Les Amis du Parc",
        "siret": "73282932000074",
        "rna": "",
        "address": "1 place de la Mairie",
        "purpose": "Animer le parc.",
        "role": "treasurer",
    }

    first = treasurer_client.post(reverse("frontoffice:associations_register"), data)
    second = treasurer_client.post(reverse("frontoffice:associations_register"), data)

    assert first["Location"] == second["Location"]
    assert Organisation.objects.count() == 1
    assert Representative.objects.count() == 1
