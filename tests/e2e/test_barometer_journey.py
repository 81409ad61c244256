"""Browser journey of the barometer: the administrator's dashboard and self-assessment, the
network operator's campaign and its PDF, the public report; axe-clean on every page.

Reuses the resident journey's browser, auditor and journey helpers."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from guichet.barometer import services, synthetic
from guichet.barometer.models import NetworkOperator
from tests import factories
from tests.e2e import test_resident_journey as helpers

# The resident journey's fixtures, shared (its module skips when Chromium is missing).
browser = helpers.browser
auditor = helpers.auditor

pytestmark = pytest.mark.e2e


@pytest.fixture
def network(transactional_db: None, live_server: Any) -> dict[str, Any]:
    authority = factories.authority("ville-a")
    procedure = factories.civil_status_procedure(authority)
    resident = factories.resident(authority)
    factories.civil_status_case(procedure, resident)
    admin = factories.person(authority, "admin@ville-a.fr", is_authority_admin=True)
    NetworkOperator.objects.create(authority=authority, user=admin, network_name="Réseau")
    campaign = services.campaign_create(
        authority=authority, slug="b2012", year=2012, template="2012"
    )
    services.respondents_import(campaign=campaign, content=synthetic.csv_bytes(), name="p.csv")
    services.campaign_publish(campaign=campaign, published=True)
    services.snapshots_compute(authority=authority, now=timezone.now())
    port = live_server.url.rsplit(":", 1)[1]
    return {"url": f"http://ville-a.localhost:{port}", "admin": admin, "campaign": campaign}


def test_barometer_journey(
    browser: Browser,
    auditor: helpers.Auditor,
    network: dict[str, Any],
) -> None:
    context = browser.new_context(base_url=network["url"], accept_downloads=True, locale="fr-FR")
    context.set_default_timeout(helpers.TIMEOUT_MS)
    journey = helpers.Journey(page=context.new_page(), auditor=auditor, javascript=True)
    page = journey.page
    try:
        journey.log_in(network["admin"].email)
        journey.goto("/agents/barometre/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Baromètre de la collectivité")
        expect(page.get_by_role("img", name="Dépôt en ligne (K1) par période")).to_be_visible()
        journey.click("Remplir l'autoévaluation", role="link")
        page.get_by_label("Des services d'e-administration sont-ils en place ?").select_option(
            "yes"
        )
        journey.click("Enregistrer")
        expect(page.get_by_text("Votre autoévaluation est enregistrée.")).to_be_visible()
        journey.click("Campagnes du réseau", role="link")
        journey.click("Baromètre 2012", role="link")
        expect(page.get_by_text("85 % [77 ; 91]").first).to_be_visible()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Rapport (PDF)").click()
        content = Path(download_info.value.path()).read_bytes()
        text = " ".join(
            " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
        )
        assert "85 % [77 ; 91]" in text
        journey.goto("/barometre/")
        journey.click("Baromètre 2012 (2012)", role="link")
        expect(page.get_by_role("heading", name="Baromètre 2012")).to_be_visible()
    finally:
        context.close()
    assert not auditor.violations, auditor.report()
