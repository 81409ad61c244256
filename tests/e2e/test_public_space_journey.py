"""Browser journey of a street report: a resident reports a pothole with a photo, a second
resident is shown it as a duplicate and follows it, an agent creates a work order, a field
agent closes it with a photo, both residents are told. With the map, and again without
JavaScript (coordinates typed instead of the map). axe runs on every page."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from guichet.interventions.models import WorkOrder
from guichet.notifications.models import OutgoingEmail
from guichet.public_space.models import Category, Report
from tests import factories

# Importing it skips this module too when Chromium is missing; its fixtures (browser,
# auditor) are shared by importing them.
from tests.e2e.test_resident_journey import (  # noqa: F401 - fixtures, used by name
    TIMEOUT_MS,
    Auditor,
    Journey,
    auditor,
    browser,
)
from tests.public_space.conftest import POTHOLE_QUESTIONS, gps_jpeg

pytestmark = pytest.mark.e2e
SECOND = "jean@example.fr"


@dataclass
class Street:
    url: str
    resident: Any
    agent: Any
    field_agent: Any


@pytest.fixture
def street(transactional_db: None, live_server: Any, settings: Any) -> Street:
    settings.GUICHET_MAP_TILES_URL = ""  # nothing fetched from the network
    authority = factories.authority("ville-a")
    roads = factories.service(authority, "voirie")
    Category.objects.create(
        authority=authority,
        code="nid-de-poule",
        name="Nid-de-poule",
        service=roads,
        questions=POTHOLE_QUESTIONS,
    )
    port = live_server.url.rsplit(":", 1)[1]
    return Street(
        url=f"http://ville-a.localhost:{port}",
        resident=factories.resident(authority),
        agent=factories.agent(authority, "chef@ville-a.fr", services=("voirie",)),
        field_agent=factories.agent(authority, "terrain@ville-a.fr", services=("voirie",)),
    )


def _place(journey: Journey, javascript: bool) -> None:
    page = journey.page
    if javascript:
        page.locator(".report-map").click()  # the centre of the map, the same for both residents
        expect(page.get_by_label("Latitude")).not_to_have_value("")
    else:
        page.get_by_label("Adresse ou repère").fill("47.902964, 1.909251")
    journey.click("Valider l'emplacement")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_street_report_journey(
    browser: Browser,  # noqa: F811
    auditor: Auditor,  # noqa: F811
    street: Street,
    tmp_path: Path,
    javascript: bool,
) -> None:
    photo = tmp_path / "trou.jpg"
    photo.write_bytes(gps_jpeg())
    context = browser.new_context(
        base_url=street.url, java_script_enabled=javascript, locale="fr-FR"
    )
    context.set_default_timeout(TIMEOUT_MS)
    journey = Journey(page=context.new_page(), auditor=auditor, javascript=javascript)
    page = journey.page
    try:
        # The first resident, logged in, reports a pothole with a photo.
        journey.log_in(street.resident.email)
        journey.click("Signalements", role="link")
        journey.click("Signaler un problème", role="link")
        journey.click("Nid-de-poule", role="link")
        _place(journey, javascript)
        expect(page.get_by_text("Aucun signalement de cette catégorie")).to_be_visible()
        page.get_by_label("Description du problème").fill("Trou profond devant l'école")
        page.get_by_label("Où se trouve le défaut ?").select_option("chaussee")
        page.get_by_label("Photos (trois au plus)").set_input_files(photo)
        journey.click("Envoyer le signalement")
        expect(page.get_by_text("Merci ! Votre signalement porte le numéro")).to_be_visible()
        report = Report.objects.get()
        assert report.contact_email == street.resident.email
        journey.log_out()

        # The second resident, anonymous, is shown it and follows it instead.
        journey.goto("/signalements/nouveau/")
        journey.click("Nid-de-poule", role="link")
        _place(journey, javascript)
        expect(page.get_by_role("link", name=f"Nid-de-poule — {report.number}")).to_be_visible()
        page.get_by_label("Votre courriel").first.fill(SECOND)
        journey.click("C'est le même problème : je le suis (+1)")
        expect(page.get_by_text("Vous suivez ce signalement")).to_be_visible()
        assert Report.objects.count() == 1

        # An agent accepts it, publishes the photo and creates a work order.
        journey.log_in(street.agent.email)
        journey.goto("/agents/signalements/")
        journey.click(report.number, role="link")
        journey.click("Prendre en compte")
        journey.click("Publier la photo 1")
        form = page.locator("form").filter(
            has=page.get_by_role("button", name="Créer le bon d'intervention")
        )
        form.get_by_label("Équipe").fill("Équipe voirie nord")
        form.get_by_label("Agent de terrain").select_option(str(street.field_agent.pk))
        form.get_by_label("Priorité").select_option("high")
        form.get_by_label("Date prévue").fill(timezone.localdate().isoformat())
        form.get_by_label("Matériel").fill("Enrobé à froid, pelle")
        journey.click("Créer le bon d'intervention")
        order = WorkOrder.objects.get()
        expect(page.get_by_role("heading", level=1)).to_contain_text(order.number)
        journey.log_out()

        # The field agent closes it from the phone view, with a photo.
        journey.log_in(street.field_agent.email)
        journey.goto("/agents/interventions/aujourd-hui/")
        page.get_by_label("Photo").set_input_files(photo)
        page.get_by_label("Commentaire").fill("Trou rebouché.")
        journey.click(f"Terminer {order.number}")
        expect(page.get_by_text("Aucune intervention prévue aujourd'hui.")).to_be_visible()
        journey.log_out()

        # Anyone sees it fixed, with the after photo; both residents were told.
        journey.goto(f"/signalements/{report.number}/")
        expect(page.locator(".badge")).to_have_text("résolu")
        expect(page.get_by_role("img", name="Photo après intervention")).to_be_visible()
    finally:
        context.close()

    told = OutgoingEmail.objects.filter(subject__contains="résolu").values_list("to", flat=True)
    assert sorted(told) == sorted([street.resident.email, SECOND])
    assert re.search(r"Trou rebouché\.", OutgoingEmail.objects.filter(to=SECOND).first().body)
    assert auditor.pages_checked >= 20
    if auditor.violations:
        pytest.fail(auditor.report(), pytrace=False)
