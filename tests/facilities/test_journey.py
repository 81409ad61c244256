"""Browser journey: an association asks for a season slot, an agent grants part of it, a
resident books a room, pays it at the (fake) bank, downloads the letter and reports a
problem in the room; the agent sees the booking paid and the work order; axe-clean.

Reuses the browser, the axe auditor and the journey helpers of the resident journey."""

import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from guichet.facilities.models import (
    Booking,
    Closure,
    FacilityReport,
    SeasonApplication,
    SeasonRound,
)
from guichet.interventions.models import WorkOrder
from guichet.payments.models import Payment
from tests import factories
from tests.e2e.test_resident_journey import (  # the module skips itself without Chromium
    TIMEOUT_MS,
    Auditor,
    Journey,
    auditor,  # noqa: F401 - a fixture
    browser,  # noqa: F401 - a fixture
)
from tests.facilities.conftest import association_of, make_gym, regie_of

pytestmark = pytest.mark.e2e
THURSDAY = 3


@dataclass
class Site:
    url: str
    club: Any
    resident: Any
    agent: Any
    season: SeasonRound
    closed_thursday: datetime.date


@pytest.fixture
def site(transactional_db: None, live_server: Any) -> Site:
    authority = factories.authority("ville-a")
    gym = make_gym(authority)
    gym.room_facility.regie = regie_of(authority)
    gym.room_facility.save(update_fields=["regie"])
    today = timezone.localdate()
    first_thursday = today + datetime.timedelta(days=(THURSDAY - today.weekday()) % 7 + 7)
    season = SeasonRound.objects.create(
        authority=authority,
        name="Saison d'essai",
        season_starts=first_thursday,
        season_ends=first_thursday + datetime.timedelta(days=7 * 5),  # six Thursdays
        applications_close=today + datetime.timedelta(days=5),
        status=SeasonRound.Status.OPEN,
    )
    closed = first_thursday + datetime.timedelta(days=14)
    Closure.objects.create(
        authority=authority,
        facility=gym.facility,
        starts_on=closed,
        ends_on=closed,
        reason="Tournoi",
    )
    port = live_server.url.rsplit(":", 1)[1]
    club = factories.person(authority, "club@example.fr", first_name="Léa", last_name="Roux")
    association_of(club, "Basket Club Démo")
    return Site(
        url=f"http://ville-a.localhost:{port}",
        club=club,
        resident=factories.resident(authority),
        agent=factories.agent(authority, "gestion@example.fr", services=("equipements",)),
        season=season,
        closed_thursday=closed,
    )


def test_facilities_journey(browser: Browser, auditor: Auditor, site: Site) -> None:  # noqa: F811
    context = browser.new_context(base_url=site.url, accept_downloads=True, locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    journey = Journey(page=context.new_page(), auditor=auditor, javascript=True)
    page = journey.page
    try:
        # The association asks for every Thursday, 18:00-20:00, on half a court.
        journey.log_in(site.club.email)
        journey.click("Équipements", role="link")
        journey.click("Associations : demander un créneau pour la saison", role="link")
        journey.click("Demander un créneau : Saison d'essai", role="link")
        page.get_by_label("Espace").select_option(label="Gymnase Jean-Moulin — Demi-terrain A")
        page.get_by_label("Association").select_option(label="Basket Club Démo")
        page.get_by_label("Activité").fill("Entraînement des jeunes")
        page.get_by_label("Jour de la semaine").select_option(label="jeudi")
        page.get_by_label("Heure de début").fill("18:00")
        page.get_by_label("Heure de fin").fill("20:00")
        journey.click("Envoyer la demande")
        expect(page.get_by_text("Votre demande de créneau est enregistrée.")).to_be_visible()
        journey.log_out()

        # The agent closes applications, sees the conflict and grants all but one free date.
        journey.log_in(site.agent.email)
        journey.goto(f"/agents/equipements/saisons/{site.season.pk}/")
        journey.click("Clore les demandes et attribuer")
        journey.click("Basket Club Démo", role="link")
        expect(page.get_by_role("heading", name="1 date en conflit")).to_be_visible()
        closed = site.closed_thursday.strftime("%d/%m/%Y")
        expect(
            page.get_by_text(f"L'équipement est fermé le {closed} : fermeture : Tournoi.")
        ).to_be_visible()
        boxes = page.get_by_role("checkbox")
        expect(boxes).to_have_count(5)
        boxes.last.uncheck()
        journey.click("Accorder les dates cochées")
        expect(page.get_by_text("4 date(s) accordée(s).")).to_be_visible()
        journey.log_out()

        # A resident books a room for one hour next week and pays it online.
        journey.log_in(site.resident.email)
        journey.click("Équipements", role="link")
        journey.click("Maison des associations", role="link")
        journey.click("Semaine suivante", role="link")
        journey.click("Afficher en grille")
        page.get_by_role("link", name=re.compile(r"^Libre — réserver Salle Lumière")).nth(
            10
        ).click()
        journey.check()
        page.get_by_label("Objet de la réservation").fill("Réunion de copropriété")
        page.get_by_label("Nombre de personnes").fill("12")
        journey.click("Envoyer la demande")
        expect(page.get_by_text("Votre réservation est confirmée.")).to_be_visible()
        expect(page.get_by_text("12,50 € — à payer")).to_be_visible()
        journey.click("Payer en ligne 12,50 €")
        expect(page.get_by_role("heading", level=1)).to_have_text("Banque fictive — paiement")
        journey.click("Payer")
        expect(page.get_by_text("Paiement de 12,50 € reçu, merci.")).to_be_visible()
        expect(page.get_by_text(re.compile(r"12,50 € — payée le"))).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("Payer en ligne"))).to_have_count(0)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Télécharger la lettre de confirmation (PDF)").click()
        content = Path(download_info.value.path()).read_bytes()
        text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
        assert "Salle Lumière" in text
        journey.click("Mes réservations", role="link")

        # The resident reports a problem in the room: it becomes a work order.
        journey.click("Équipements", role="link")
        journey.click("Maison des associations", role="link")
        journey.click("Signaler un problème", role="link")
        page.get_by_label("Espace concerné").select_option(label="Salle Lumière")
        page.get_by_label("Problème constaté").fill("Le vidéoprojecteur ne s'allume plus.")
        journey.click("Envoyer le signalement")
        expect(
            page.get_by_text("Merci : votre signalement est transmis au service")
        ).to_be_visible()
        journey.log_out()

        # The agent sees the booking paid and the work order of the room's facility.
        journey.log_in(site.agent.email)
        journey.click("Équipements")  # the menu's group, a disclosure with JavaScript
        journey.click("Équipements", role="link")
        journey.click("Maison des associations", role="link")
        expect(page.get_by_role("cell", name=re.compile(r"^payée le "))).to_have_count(1)
        expect(
            page.get_by_role(
                "cell", name="Maison des associations — Salle Lumière : problème signalé"
            )
        ).to_be_visible()
    finally:
        context.close()

    application = SeasonApplication.objects.get()
    assert application.status == SeasonApplication.Status.PARTIAL
    assert application.series.bookings.count() == 4
    booking = Booking.objects.get(series__isnull=True)
    assert (booking.holder, str(booking.amount_due)) == (site.resident, "12.50")
    payment = Payment.objects.get()
    assert (payment.state, booking.payment_reference) == ("paid", payment.reference)
    report = FacilityReport.objects.get()
    assert (report.reporter, report.unit.name) == (site.resident, "Salle Lumière")
    assert WorkOrder.objects.get().sources.count() == 3
    if auditor.violations:
        pytest.fail(auditor.report(), pytrace=False)
