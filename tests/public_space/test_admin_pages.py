import pytest
from django.urls import reverse

from guichet.public_space.models import Category
from guichet.security.api_keys import api_key_authenticate, api_key_create
from guichet.security.models import ApiKey
from tests import factories


@pytest.fixture
def admin(city):
    return factories.person(city, "admin@ville-a.fr", is_authority_admin=True)


def test_the_administrator_creates_a_key_shown_once_and_revokes_it(city_client, city, admin):
    city_client.force_login(admin)
    url = reverse("backoffice:public_space_api_keys")
    response = city_client.post(url, {"name": "FixMyStreet"})
    assert response["Location"] == url
    shown = city_client.get(url).context["new_key"]
    key = ApiKey.objects.get()
    assert (key.name, key.scopes) == ("FixMyStreet", ["open311"])
    assert api_key_authenticate(authority=city, raw=shown, scope="open311") == key
    assert city_client.get(url).context["new_key"] == ""  # once

    city_client.post(reverse("backoffice:public_space_api_key_revoke", args=[key.pk]))
    assert api_key_authenticate(authority=city, raw=shown, scope="open311") is None


def test_keys_pages_are_for_administrators_of_the_authority(
    city_client, city, other_city, admin, road_agent
):
    foreign = api_key_create(authority=other_city, name="x", scopes=["open311"])[0]
    city_client.force_login(admin)
    assert (
        city_client.post(
            reverse("backoffice:public_space_api_key_revoke", args=[foreign.pk])
        ).status_code
        == 404
    )
    assert city_client.get(reverse("backoffice:public_space_api_keys")).context["keys"] == []
    city_client.force_login(road_agent)
    assert city_client.get(reverse("backoffice:public_space_api_keys")).status_code == 404
    assert city_client.get(reverse("backoffice:public_space_categories")).status_code == 404


def test_the_administrator_edits_categories_and_their_questions(
    city_client, city, admin, roads, pothole, other_city
):
    city_client.force_login(admin)
    url = reverse("backoffice:public_space_category_new")
    bad = city_client.post(
        url,
        {
            "code": "tag",
            "name": "Tag",
            "service": roads.pk,
            "questions": '[{"code": "x"}]',
            "position": 0,
        },
    )
    assert "Chaque question a un code" in bad.content.decode()
    taken = city_client.post(
        url,
        {
            "code": "nid-de-poule",
            "name": "x",
            "service": roads.pk,
            "questions": "[]",
            "position": 0,
        },
    )
    assert "Une autre catégorie a déjà ce code." in taken.content.decode()
    questions = '[{"code": "support", "label": "Support", "type": "singlevaluelist", "values": [{"key": "mur", "name": "Mur"}]}]'
    response = city_client.post(
        url,
        {
            "code": "tag",
            "name": "Tag",
            "service": roads.pk,
            "questions": questions,
            "is_active": "on",
            "position": 3,
        },
    )
    assert response["Location"] == reverse("backoffice:public_space_categories")
    tag = Category.objects.get(code="tag")
    assert (tag.authority, tag.questions[0]["code"]) == (city, "support")

    foreign = Category.objects.create(
        authority=other_city, code="y", name="y", service=factories.service(other_city)
    )
    assert (
        city_client.get(reverse("backoffice:public_space_category", args=[foreign.pk])).status_code
        == 404
    )
    assert (
        city_client.get(reverse("backoffice:public_space_category", args=[pothole.pk])).status_code
        == 200
    )
