import pytest

from guichet.engine.models import Case
from tests import factories


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/dossiers/", "/dossiers/"),
        ("//evil.example/", "/mes-demarches/"),
        ("https://evil.example/", "/mes-demarches/"),
    ],
)
def test_login__follows_only_local_next_urls(city_client, resident, next_url, expected):
    response = city_client.post(
        "/connexion/",
        {"email": resident.email, "password": factories.PASSWORD, "next": next_url},
    )

    assert response["Location"] == expected
    assert city_client.session["_auth_user_id"] == str(resident.pk)


def test_login__sends_agents_to_the_back_office(city_client, agent):
    response = city_client.post(
        "/connexion/", {"email": agent.email, "password": factories.PASSWORD}
    )

    assert response["Location"] == "/agents/"


def test_login__refuses_a_wrong_password(city_client, resident):
    response = city_client.post("/connexion/", {"email": resident.email, "password": "nope"})

    assert response.status_code == 422
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()
    assert "_auth_user_id" not in city_client.session


def test_case_start__requires_login_and_creates_nothing(city_client, procedure):
    response = city_client.post("/demarches/acte-etat-civil/commencer/", {"for_whom": "self"})

    assert response["Location"] == "/connexion/?next=/demarches/acte-etat-civil/commencer/"
    assert Case.objects.count() == 0


def test_procedure_detail__offline_procedure_is_not_found(city_client, procedure):
    procedure.is_online = False
    procedure.save(update_fields=["is_online"])

    assert city_client.get("/demarches/acte-etat-civil/").status_code == 404
