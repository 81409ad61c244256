import pytest
from django.conf import settings
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in French: a request in English (LocaleMiddleware) leaves its
    language active in the thread, which would leak into the next tests."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
