"""Agents: the second factor before the back office, idle expiry, lockout, password policy,
rate limits (each switched on here: tests/settings.py turns them off for other tests)."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.security import otp
from guichet.security.sessions import LAST_SEEN_KEY
from tests import factories

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice, *, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


def password_login(email: str) -> Client:
    client = Client(HTTP_HOST="ville-a.localhost")
    response = client.post("/connexion/", {"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def otp_on(settings):
    settings.GUICHET_AGENT_OTP_REQUIRED = True


def test_second_factor__an_agent_without_device_enrols_then_reaches_the_back_office(
    otp_on, agent, filed_case
):
    client = password_login(agent.email)

    first = client.get(f"/agents/dossiers/{filed_case.pk}/")
    assert first.status_code == 302
    assert first["Location"] == (
        f"/agents/securite/double-authentification/?next=/agents/dossiers/{filed_case.pk}/"
    )
    assert client.get(first["Location"])["Location"] == (
        "/agents/securite/double-authentification/activer/"
    )
    setup = client.get("/agents/securite/double-authentification/activer/")
    device = TOTPDevice.objects.get(user=agent)
    assert setup.status_code == 200
    assert otp.totp_secret_base32(device) in setup.content.decode()
    wrong = client.post("/agents/securite/double-authentification/activer/", {"token": "000000"})
    assert wrong.status_code == 422
    TOTPDevice.objects.get(user=agent).throttle_reset()  # a failure throttles the next try
    done = client.post("/agents/securite/double-authentification/activer/", {"token": code(device)})

    assert done["Location"] == "/agents/"
    assert TOTPDevice.objects.get(user=agent).confirmed is True
    assert client.get(f"/agents/dossiers/{filed_case.pk}/").status_code == 200


def test_second_factor__asked_at_each_login_and_each_code_works_once(otp_on, agent):
    device = TOTPDevice.objects.create(user=agent, name="Guichet", confirmed=True)
    client = password_login(agent.email)
    assert client.get("/agents/")["Location"].startswith("/agents/securite/")
    token = code(device)

    verified = client.post(
        "/agents/securite/double-authentification/", {"token": token, "next": "/agents/"}
    )
    other = password_login(agent.email)
    replay = other.post("/agents/securite/double-authentification/", {"token": token})

    assert verified["Location"] == "/agents/"
    assert client.get("/agents/").status_code == 200
    assert replay.status_code == 422
    assert other.get("/agents/").status_code == 302


def test_second_factor__cannot_be_replaced_without_the_current_one(otp_on, agent):
    TOTPDevice.objects.create(user=agent, name="Guichet", confirmed=True)
    client = password_login(agent.email)

    response = client.get("/agents/securite/double-authentification/activer/")

    assert response["Location"] == "/agents/securite/double-authentification/"
    assert TOTPDevice.objects.filter(user=agent).count() == 1


def test_second_factor__residents_pages_do_not_ask_for_it(otp_on, resident):
    client = password_login(resident.email)

    assert client.get("/mes-demarches/").status_code == 200


def test_idle_agent_session__expires(settings, agent):
    settings.GUICHET_AGENT_IDLE_SECONDS = 60
    client = password_login(agent.email)
    assert client.get("/agents/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 61
    session.save()

    response = client.get("/agents/")

    assert response["Location"] == "/connexion/?next=/agents/"
    assert "_auth_user_id" not in client.session


def test_lockout__after_repeated_failures_even_with_the_right_password(settings, agent):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    client = Client(HTTP_HOST="ville-a.localhost")
    for _attempt in range(3):
        failed = client.post("/connexion/", {"email": agent.email, "password": "wrong"})
        assert failed.status_code in {422, 429}

    locked = client.post("/connexion/", {"email": agent.email, "password": factories.PASSWORD})
    elsewhere = Client(HTTP_HOST="ville-b.localhost")
    factories.agent(factories.authority("ville-b"), agent.email)
    other_city = elsewhere.post(
        "/connexion/", {"email": agent.email, "password": factories.PASSWORD}
    )

    assert locked.status_code == 429
    assert "Compte temporairement bloqué" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert other_city.status_code == 302  # the same e-mail elsewhere is another account


def test_password_policy__agents_need_long_mixed_passwords(agent, resident):
    with pytest.raises(ValidationError) as error:
        validate_password("motdepasse-agent", agent)

    validate_password("Mot-de-passe-agent-2026", agent)
    validate_password("motdepasse-habitant", resident)
    assert error.value.messages[-1].startswith("Le mot de passe d'un agent compte au moins 14")


def test_rate_limit__login_and_magic_link_answer_429_past_the_limit(settings, city):
    settings.GUICHET_RATE_LIMITS_ON = True
    settings.GUICHET_RATE_LIMITS = {"frontoffice:magic_link": "2/300"}
    settings.GUICHET_RATE_LIMIT_POST = "3/60"
    cache.clear()
    client = Client(HTTP_HOST="ville-a.localhost")

    magic = [
        client.post("/lien-de-connexion/", {"email": "x@example.fr"}).status_code for _ in range(3)
    ]
    cache.clear()
    posts = [
        client.post("/connexion/", {"email": "x@example.fr", "password": "x"}).status_code
        for _ in range(4)
    ]
    limited = client.post("/connexion/", {"email": "x@example.fr", "password": "x"})

    assert magic == [302, 302, 429]
    assert posts == [422, 422, 422, 429]
    assert limited["Retry-After"] == "60"
    assert "Trop de tentatives" in limited.content.decode()


def test_second_factor__asked_of_a_resident_who_became_an_agent_after_logging_in(
    otp_on, resident, city
):
    client = password_login(resident.email)
    factories.Membership.objects.create(
        authority=city, user=resident, service=factories.service(city)
    )

    response = client.get("/agents/")

    assert response["Location"] == "/agents/securite/double-authentification/?next=/agents/"
