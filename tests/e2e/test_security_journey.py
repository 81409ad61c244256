"""Browser journey for identity and privacy: a resident comes through FranceConnect (the
demo provider on loopback), downloads their data and logs out there too; an agent gives
their second factor. Every page is checked with axe (the resident journey's Auditor) and
the browser must report no Content-Security-Policy violation."""

import time
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.security import oidc
from guichet.security.dev_provider import DevProvider
from tests.e2e.test_resident_journey import (  # noqa: F401  (fixtures)
    TIMEOUT_MS,
    Auditor,
    Browser,
    City,
    Journey,
    auditor,
    browser,
    city,
    expect,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def provider(settings):
    server = DevProvider(clients={"guichet": "s3cret"}).start()
    settings.GUICHET_OIDC_PROVIDERS = {
        "franceconnect": {
            "issuer": server.issuer,
            "client_id": "guichet",
            "client_secret": "s3cret",
            "acr_values": "eidas1",
        }
    }
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "form-action": ["'self'", server.issuer]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    settings.GUICHET_AGENT_OTP_REQUIRED = True
    oidc._discovery_cache.clear()
    yield server
    server.stop()


def test_security_journey(
    browser: Browser,  # noqa: F811
    auditor: Auditor,  # noqa: F811
    city: City,  # noqa: F811
    provider: DevProvider,
    live_server: Any,
) -> None:
    context = browser.new_context(base_url=city.url, locale="fr-FR", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    journey = Journey(page=context.new_page(), auditor=auditor, javascript=True)
    page = journey.page
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        journey.goto("/connexion/")
        page.get_by_role("link", name="S'identifier avec FranceConnect").click()
        expect(
            page.get_by_role("heading", name="Fournisseur d'identité de démonstration")
        ).to_be_visible()
        page.get_by_role("link", name="Angela Claire Louise DUBOIS").click()
        expect(page.get_by_role("heading", name="Mes démarches")).to_be_visible()
        journey.check()

        journey.click("Mes données", role="link")
        with page.expect_download() as download:
            page.get_by_role("link", name="Télécharger mes données (ZIP)").click()
        assert download.value.suggested_filename == "mes-donnees.zip"

        journey.click("Se déconnecter")
        expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
        assert provider.logouts[0]["id_token_hint"]

        device = TOTPDevice.objects.create(user=city.agent, name="Guichet", confirmed=True)
        journey.goto("/connexion/")
        page.get_by_label("Adresse électronique").fill(city.agent.email)
        page.get_by_label("Mot de passe").fill("correct-horse-battery")
        journey.click("Se connecter")
        expect(page.get_by_role("heading", name="Double authentification")).to_be_visible()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        page.get_by_label("Code à 6 chiffres").fill(f"{totp.token():06d}")
        journey.click("Valider")
        expect(page.get_by_role("link", name="Dossiers", exact=True)).to_be_visible()
    finally:
        context.close()

    assert blocked == []
    assert auditor.pages_checked >= 6
    if auditor.violations:
        pytest.fail(auditor.report(), pytrace=False)
