import pytest

from guichet.engine import services
from tests import factories


@pytest.fixture
def agent_client(city_client, agent):
    city_client.force_login(agent)
    return city_client


@pytest.fixture
def roads_agent(city):
    """An agent of another service of the same city."""
    return factories.agent(city, "voirie@example.fr", services=("voirie",))


@pytest.fixture
def foreign_agent(other_city):
    """An agent of the same service name, in another authority."""
    return factories.agent(other_city, "agent-b@example.fr")


@pytest.fixture
def counter_case(procedure, agent):
    """A request taken at the counter for someone without an account."""
    return services.case_intake(
        procedure=procedure,
        agent=agent,
        channel="counter",
        contact={"first_name": "Jeanne", "last_name": "Dupont", "address": "3 place du Marché"},
        answers=dict(factories.CIVIL_STATUS_ANSWERS, last_name="Dupont", first_name="Jeanne"),
        uploads={"id_document": factories.pdf_upload("cni.pdf")},
        scan=None,
    )
