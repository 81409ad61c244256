import datetime

import pytest

from guichet.individuals.services import CivilStatusInput
from guichet.security.api_keys import api_key_create
from tests import factories


def civil_status_input(**changes) -> CivilStatusInput:
    values = {
        "act_type": "birth",
        "copy_kind": "full",
        "relationship": "self",
        "person_last_name": "Martin",
        "person_first_names": "Camille Jeanne",
        "event_date": datetime.date(1990, 4, 12),
        "event_place": "Ville A",
        "parents": "Pierre Martin et Anne Durand",
        "requester_first_name": "Camille",
        "requester_last_name": "Martin",
        "requester_email": "camille@example.fr",
        "delivery_address": "12 rue des Lilas\n45000 Ville A",
        "copies": 2,
    }
    return CivilStatusInput(**(values | changes))


RELAY_BODY = {
    "act": {"type": "birth", "copy": "full", "date": "1990-04-12", "place": "Ville A"},
    "person": {
        "last_name": "Martin",
        "first_names": "Camille Jeanne",
        "parents": "Pierre Martin et Anne Durand",
    },
    "requester": {
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@example.fr",
        "relationship": "self",
    },
    "delivery_address": "12 rue des Lilas, 45000 Ville A",
    "copies": 1,
}


@pytest.fixture
def relay_key(city, procedure):
    _key, raw = api_key_create(authority=city, name="Portail national", scopes=["relay"])
    return raw


@pytest.fixture
def agent_client(client, agent):
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(agent)
    return client


@pytest.fixture
def resident_client(client, resident, procedure):
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(resident)
    return client


__all__ = ["RELAY_BODY", "civil_status_input", "factories"]
