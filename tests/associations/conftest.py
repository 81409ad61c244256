import pytest

from tests import factories
from tests.associations import factories as assoc


@pytest.fixture
def treasurer(city):
    return factories.person(city, "tresoriere@example.fr", first_name="Alice", last_name="Durand")


@pytest.fixture
def subsidy_procedure(city):
    return assoc.subsidy_procedure(city)


@pytest.fixture
def instructor(city, subsidy_procedure):
    return factories.agent(city, "instructeur@example.fr", services=("vie-associative",))


@pytest.fixture
def manager(city, subsidy_procedure):
    return factories.agent(
        city, "responsable@example.fr", role="manager", services=("vie-associative",)
    )


@pytest.fixture
def organisation(city, treasurer):
    return assoc.organisation(city, treasurer)


@pytest.fixture
def call(city):
    return assoc.open_call(city)


@pytest.fixture
def treasurer_client(client, city, treasurer):
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(treasurer)
    return client
