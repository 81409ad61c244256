import datetime

import pytest

from guichet.individuals import school
from guichet.individuals.models import Creche, CrecheRequest
from tests import factories
from tests.individuals.school_factories import household_with_child

pytestmark = pytest.mark.django_db


def _request(city, email, criteria):
    parent = factories.person(city, email, last_name=email.split("@")[0].title())
    household, child = household_with_child(parent)
    return school.creche_request_file(
        household=household,
        child=child,
        date_needed=datetime.date(2027, 9, 1),
        weekdays=[0, 1, 2, 3, 4],
        criteria=criteria,
    )


def test_creche__committee_offers_by_priority_within_capacity_and_families_answer(
    client, city, resident
):
    agent = factories.agent(city, "enfance@example.fr", services=("enfance",))
    creche = Creche.objects.create(authority=city, name="Les Petits Pas", capacity=1)
    low = _request(city, "durand@example.fr", ["sibling"])
    _household, lea = household_with_child(resident)
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(resident)
    client.post(
        "/famille/creche/",
        {
            "creche-child": lea.pk,
            "creche-date_needed": "01/09/2027",
            "creche-weekdays": [0, 1, 3],
            "creche-criteria": ["single_parent", "both_working"],
        },
    )
    high = CrecheRequest.objects.get(child=lea)
    assert (high.priority, low.priority) == (5, 1)

    client.force_login(agent)
    page = client.get("/agents/enfance/creche/").content.decode()
    assert page.index("Léa Martin") < page.index("Léa Durand")
    offered = client.post("/agents/enfance/creche/", {"request": high.pk, "creche": creche.pk})
    full = client.post("/agents/enfance/creche/", {"request": low.pk, "creche": creche.pk})

    assert offered.status_code == 302
    assert full.status_code == 422
    assert "Plus de place libre dans cette crèche." in full.content.decode()
    client.force_login(resident)
    client.post(f"/famille/creche/{high.pk}/reponse/", {"answer": "accept"})
    high.refresh_from_db()
    low.refresh_from_db()
    assert (high.status, high.creche, low.status) == ("accepted", creche, "waiting")


def test_creche__declined_offer_frees_the_place(city):
    agent = factories.agent(city, "enfance@example.fr", services=("enfance",))
    creche = Creche.objects.create(authority=city, name="Les Petits Pas", capacity=1)
    first = _request(city, "a@example.fr", [])
    second = _request(city, "b@example.fr", [])

    school.creche_place_offer(request=first, creche=creche, by=agent)
    school.creche_offer_answer(request=first, is_accepted=False)
    school.creche_place_offer(request=second, creche=creche, by=agent)

    assert list(CrecheRequest.objects.order_by("id").values_list("status", flat=True)) == [
        "declined",
        "offered",
    ]


def test_creche__answer_for_another_family_is_404(client, city, resident):
    other = _request(city, "autre@example.fr", [])
    household_with_child(resident)
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(resident)

    assert (
        client.post(f"/famille/creche/{other.pk}/reponse/", {"answer": "accept"}).status_code == 404
    )
    other.refresh_from_db()
    assert other.status == "waiting"
