import pytest

from tests import factories


@pytest.fixture
def city(db):
    return factories.authority("ville-a")


@pytest.fixture
def other_city(db):
    return factories.authority("ville-b")


@pytest.fixture
def procedure(city):
    return factories.civil_status_procedure(city)


@pytest.fixture
def resident(city):
    return factories.resident(city)


@pytest.fixture
def agent(city, procedure):
    return factories.agent(city)


@pytest.fixture
def filed_case(procedure, resident):
    return factories.civil_status_case(procedure, resident)


@pytest.fixture
def city_client(client, city):
    """A test client speaking to the city's host name."""
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    return client
