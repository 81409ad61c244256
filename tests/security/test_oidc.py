"""FranceConnect and agents' single sign-on: a real OpenID Connect exchange over HTTP on
loopback, against the small provider of guichet.security.dev_provider (its own RSA key,
JWKS, codes, tokens, user info, end session). Only the browser is the test client."""

import html
import http.client
import urllib.parse

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.models import User
from guichet.security import oidc
from guichet.security.dev_provider import DEMO_IDENTITIES, DevProvider
from guichet.security.models import OidcIdentity
from tests import factories

pytestmark = pytest.mark.django_db

HOST = "ville-a.localhost"


@pytest.fixture
def provider(settings):
    server = DevProvider(clients={"guichet": "s3cret"}, auto_identity=0).start()
    settings.GUICHET_OIDC_PROVIDERS = {
        "franceconnect": {
            "label": "FranceConnect",
            "issuer": server.issuer,
            "client_id": "guichet",
            "client_secret": "s3cret",
            "audience": "resident",
            "acr_values": "eidas1",
        }
    }
    oidc._discovery_cache.clear()
    yield server
    server.stop()


def provider_get(url: str) -> tuple[int, str]:
    """The browser's visit to the provider: a real HTTP request, redirects not followed."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    connection.request("GET", f"{parts.path}?{parts.query}")
    response = connection.getresponse()
    location = response.getheader("Location", "")
    response.read()
    connection.close()
    return response.status, location


def start(client: Client, name: str = "franceconnect") -> str:
    response = client.get(f"/connexion/oidc/{name}/")
    assert response.status_code == 302
    return response["Location"]


def local(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname == HOST
    return f"{parts.path}?{parts.query}"


def franceconnect_login(client: Client) -> object:
    status, back = provider_get(start(client))
    assert status == 302
    return client.get(local(back))


def test_login_page__offers_franceconnect_first(provider, city):
    page = html.unescape(Client(HTTP_HOST=HOST).get("/connexion/").content.decode())

    assert page.index("S'identifier avec FranceConnect") < page.index('name="password"')
    assert 'href="/connexion/oidc/franceconnect/"' in page


def test_franceconnect__asks_eidas1_with_state_and_nonce(provider, city):
    client = Client(HTTP_HOST=HOST)

    url = urllib.parse.urlsplit(start(client))
    params = dict(urllib.parse.parse_qsl(url.query))

    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{provider.issuer}/authorize"
    assert params["response_type"] == "code"
    assert params["client_id"] == "guichet"
    assert params["acr_values"] == "eidas1"
    assert params["redirect_uri"] == f"http://{HOST}/connexion/oidc/franceconnect/retour/"
    assert params["scope"] == "openid email given_name family_name birthdate"
    assert len(params["state"]) >= 32
    assert len(params["nonce"]) >= 32
    assert params["state"] != params["nonce"]


def test_franceconnect__first_login_creates_the_resident_from_the_user_info(provider, city):
    client = Client(HTTP_HOST=HOST)

    response = franceconnect_login(client)

    assert response.status_code == 302
    assert response["Location"] == "/mes-demarches/"
    user = User.objects.get(authority=city, email="angela.dubois@example.fr")
    assert (user.first_name, user.last_name, str(user.birth_date)) == (
        "Angela Claire Louise",
        "DUBOIS",
        "1962-08-24",
    )
    assert user.is_email_verified is True
    assert user.has_usable_password() is False
    assert int(client.session["_auth_user_id"]) == user.pk
    identity = OidcIdentity.objects.get(user=user)
    assert (identity.provider, identity.subject) == ("franceconnect", "fc-angela-dubois")
    assert provider.token_requests[0]["client_secret"] == "s3cret"


def test_franceconnect__links_the_existing_account_and_updates_its_civil_identity(provider, city):
    existing = factories.resident(city, "angela.dubois@example.fr")

    franceconnect_login(Client(HTTP_HOST=HOST))
    again = Client(HTTP_HOST=HOST)
    franceconnect_login(again)

    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name) == ("Angela Claire Louise", "DUBOIS")
    assert User.objects.filter(authority=city).count() == 1
    assert OidcIdentity.objects.filter(user=existing).count() == 1
    assert int(again.session["_auth_user_id"]) == existing.pk


def test_franceconnect__a_forged_state_is_refused(provider, city):
    client = Client(HTTP_HOST=HOST)
    _status, back = provider_get(start(client))
    forged = back.replace("state=", "state=x")

    response = client.get(local(forged), follow=True)

    assert "_auth_user_id" not in client.session
    assert "La connexion a expiré. Recommencez." in html.unescape(response.content.decode())
    assert not User.objects.filter(email="angela.dubois@example.fr").exists()


def test_franceconnect__an_id_token_for_another_flow_is_refused_by_its_nonce(provider, city):
    victim, attacker = Client(HTTP_HOST=HOST), Client(HTTP_HOST=HOST)
    victim_back = provider_get(start(victim))[1]
    attacker_back = provider_get(start(attacker))[1]
    victim_state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(victim_back).query))["state"]
    attacker_code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(attacker_back).query))["code"]

    response = victim.get(
        f"/connexion/oidc/franceconnect/retour/?code={attacker_code}&state={victim_state}",
        follow=True,
    )

    assert "_auth_user_id" not in victim.session
    assert "La réponse du fournisseur d'identité n'est pas valide." in html.unescape(
        response.content.decode()
    )


def test_franceconnect__a_lower_guarantee_level_is_refused(provider, city):
    provider.acr = "eidas0"
    client = Client(HTTP_HOST=HOST)

    response = franceconnect_login(client)

    assert response["Location"] == "/connexion/"
    assert "_auth_user_id" not in client.session


def test_franceconnect__a_provider_down_says_so(provider, city):
    client = Client(HTTP_HOST=HOST)
    provider.stop()
    oidc._discovery_cache.clear()

    response = client.get("/connexion/oidc/franceconnect/", follow=True)

    assert "Le fournisseur d'identité ne répond pas." in html.unescape(response.content.decode())


def test_logout__logs_out_at_franceconnect_too(provider, city):
    client = Client(HTTP_HOST=HOST)
    franceconnect_login(client)
    id_token = client.session[oidc.SESSION_LOGOUT]["id_token"]

    response = client.post("/deconnexion/")
    status, back = provider_get(response["Location"])

    assert "_auth_user_id" not in client.session
    assert response["Location"].startswith(f"{provider.issuer}/logout?")
    assert provider.logouts[0]["id_token_hint"] == id_token
    assert provider.logouts[0]["post_logout_redirect_uri"] == f"http://{HOST}/"
    assert status == 302
    assert back.startswith(f"http://{HOST}/?state=")


def test_logout__without_franceconnect_stays_here(provider, city):
    resident = factories.resident(city)
    client = Client(HTTP_HOST=HOST)
    client.force_login(resident)

    assert client.post("/deconnexion/")["Location"] == "/"


@pytest.fixture
def agents_sso(settings, provider):
    """The city's own provider for its agents, which asks for a second factor itself."""
    provider.identities = [{**DEMO_IDENTITIES[0], "email": "agent@example.fr"}]
    settings.GUICHET_OIDC_PROVIDERS = {
        "sso-ville": {
            "label": "l'annuaire de la ville",
            "issuer": provider.issuer,
            "client_id": "guichet",
            "client_secret": "s3cret",
            "audience": "agent",
            "authorities": ["ville-a"],
            "second_factor": True,
        }
    }
    settings.GUICHET_AGENT_OTP_REQUIRED = True
    return provider


def test_agents_sso__logs_an_agent_into_the_back_office(agents_sso, agent, city):
    client = Client(HTTP_HOST=HOST)

    _status, back = provider_get(start(client, "sso-ville"))
    response = client.get(local(back))

    assert response["Location"] == "/agents/"
    assert client.get("/agents/").status_code == 200
    assert not TOTPDevice.objects.filter(user=agent).exists()


def test_agents_sso__never_creates_an_agent(agents_sso, city):
    client = Client(HTTP_HOST=HOST)

    _status, back = provider_get(start(client, "sso-ville"))
    response = client.get(local(back), follow=True)

    assert "Aucun compte agent ne correspond à cette identité." in html.unescape(
        response.content.decode()
    )
    assert not User.objects.filter(email="agent@example.fr").exists()


def test_agents_sso__is_offered_only_to_its_authority(agents_sso, city, other_city):
    assert (
        Client(HTTP_HOST="ville-b.localhost").get("/connexion/oidc/sso-ville/").status_code == 404
    )
