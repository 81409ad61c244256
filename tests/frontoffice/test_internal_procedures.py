"""Internal procedures (a service asking another, e.g. works for a school) are offered to
the authority's agents only: residents neither see nor start them."""

import pytest

from guichet.engine.models import Case
from tests import factories

pytestmark = pytest.mark.django_db

NAME = "Demande de travaux dans un bâtiment"


@pytest.fixture
def works_request(city):
    factories.service(city, "patrimoine")
    return factories.procedure_from(city, "real_estate/procedures/works_request.yaml")


def test_catalogue__hides_internal_procedures_from_residents_and_visitors(
    city_client, resident, works_request
):
    assert NAME not in city_client.get("/demarches/").content.decode()
    city_client.force_login(resident)
    assert NAME not in city_client.get("/demarches/").content.decode()
    assert city_client.get("/demarches/demande-travaux/").status_code == 404
    assert city_client.post("/demarches/demande-travaux/commencer/", {}).status_code == 404
    assert Case.objects.filter(procedure=works_request).count() == 0


def test_catalogue__offers_internal_procedures_to_the_authoritys_agents(
    city_client, city, works_request
):
    school = factories.agent(city, "ecoles@example.fr", services=("ecoles",))
    city_client.force_login(school)

    assert NAME in city_client.get("/demarches/").content.decode()
    assert city_client.get("/demarches/demande-travaux/").status_code == 200
