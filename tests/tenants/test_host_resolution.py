from guichet.tenants.selectors import authority_for_host
from tests import factories


def test_authority_for_host__ignores_case_and_port(city):
    assert authority_for_host(host="VILLE-A.localhost:8000") == city
    assert authority_for_host(host="inconnue.localhost") is None


def test_host__unknown_host_is_a_404(client, city):
    response = client.get("/demarches/", HTTP_HOST="inconnue.example.fr")

    assert response.status_code == 404


def test_host__platform_host_lists_authorities_with_links(client, city, other_city):
    response = client.get("/", HTTP_HOST="localhost:8000")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="//ville-a.localhost:8000/">Accéder aux services de Ville A</a>' in page
    assert '<a href="//ville-b.localhost:8000/">Accéder aux services de Ville B</a>' in page


def test_host__platform_host_has_no_catalogue(client, city):
    response = client.get("/demarches/", HTTP_HOST="localhost")

    assert response.status_code == 404


def test_host__authority_host_serves_its_own_catalogue(client, city, other_city, procedure):
    factories.event_declaration_procedure(other_city)

    own = client.get("/", HTTP_HOST="ville-a.localhost").content.decode()
    other = client.get("/", HTTP_HOST="ville-b.localhost").content.decode()

    assert "Demande d&#x27;acte d&#x27;état civil" in own
    assert "Déclaration de manifestation publique" not in own
    assert "Déclaration de manifestation publique" in other
    assert "Demande d&#x27;acte d&#x27;état civil" not in other


def test_login__a_resident_cannot_log_in_on_another_authoritys_host(client, city, other_city):
    factories.resident(city)

    response = client.post(
        "/connexion/",
        {"email": "camille@example.fr", "password": factories.PASSWORD},
        HTTP_HOST="ville-b.localhost",
    )

    assert response.status_code == 422
    assert "_auth_user_id" not in client.session


def test_host__platform_links_omit_the_default_port(client, city):
    page = client.get("/", HTTP_HOST="localhost").content.decode()

    assert '<a href="//ville-a.localhost/">Accéder aux services de Ville A</a>' in page
