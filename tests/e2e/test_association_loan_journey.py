"""Browser journey of a loan, with and without JavaScript: a treasurer asks, for the
association, a room, chairs and the sound system from the facilities registry; the sound
system is already lent, the page says until when and keeps what was typed; without it the
request goes; the agent of the store approves it and finds it in the loans per item.
axe checks every page on the way."""

import datetime
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, expect

from guichet.facilities import loan_services
from guichet.facilities.models import EquipmentHold, Loan
from tests import factories
from tests.associations import factories as assoc
from tests.e2e import test_resident_journey as resident
from tests.facilities.conftest import make_gym
from tests.facilities.test_loans import make_store

browser = resident.browser
auditor = resident.auditor
Auditor, Journey, TIMEOUT_MS = resident.Auditor, resident.Journey, resident.TIMEOUT_MS

pytestmark = pytest.mark.e2e


@dataclass
class Lender:
    url: str
    treasurer: Any
    keeper: Any
    organisation_path: str
    first_day: datetime.date


@pytest.fixture
def lender(transactional_db: None, live_server: Any) -> Lender:
    authority = factories.authority("ville-a")
    make_gym(authority)
    store = make_store(authority)
    treasurer = factories.person(
        authority, "tresorier@example.fr", first_name="Hugo", last_name="Blanc"
    )
    organisation = assoc.organisation(authority, treasurer)
    festival = assoc.organisation(
        authority, treasurer, name="Comité des fêtes", siret="78945612600018"
    )
    keeper = factories.agent(authority, "magasin@example.fr", services=("equipements",))
    first_day = timezone.localdate() + datetime.timedelta(days=30)
    lent = loan_services.loan_request(
        organisation=festival,
        by=treasurer,
        rooms=[],
        equipment=[(store["sound"], 1)],
        starts_on=first_day + datetime.timedelta(days=1),
        ends_on=first_day + datetime.timedelta(days=1),
        purpose="Bal",
    )
    loan_services.loan_approve(loan=lent, agent=keeper)
    port = live_server.url.rsplit(":", 1)[1]
    return Lender(
        url=f"http://ville-a.localhost:{port}",
        treasurer=treasurer,
        keeper=keeper,
        organisation_path=reverse("frontoffice:associations_organisation", args=[organisation.pk]),
        first_day=first_day,
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_association_loan_journey(
    browser: Browser, auditor: Auditor, lender: Lender, javascript: bool
) -> None:
    context = browser.new_context(
        base_url=lender.url, java_script_enabled=javascript, locale="fr-FR"
    )
    context.set_default_timeout(TIMEOUT_MS)
    journey = Journey(page=context.new_page(), auditor=auditor, javascript=javascript)
    page = journey.page
    first, last = lender.first_day, lender.first_day + datetime.timedelta(days=1)
    try:
        journey.log_in(lender.treasurer.email)
        journey.goto(lender.organisation_path)
        page.get_by_label(re.compile(r"^Du \(")).fill(first.isoformat())
        page.get_by_label("Au (inclus)").fill(last.isoformat())
        page.get_by_label("Pour quoi faire").fill("Fête du parc")
        page.get_by_label("Maison des associations — Salle Lumière").check()
        page.get_by_label("Chaises pliantes (200 au plus)").fill("120")
        page.get_by_label("Sonorisation portable (1 au plus)").fill("1")
        journey.click("Demander le prêt")

        day = (first + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
        expect(
            page.get_by_text(
                f"Sonorisation portable : déjà prêté du {day} au {day} ; "
                "il en reste 0 sur 1 à ces dates."
            )
        ).to_be_visible()
        expect(page.get_by_label("Chaises pliantes (200 au plus)")).to_have_value("120")
        expect(page.get_by_label("Maison des associations — Salle Lumière")).to_be_checked()
        expect(page.get_by_label("Pour quoi faire")).to_have_value("Fête du parc")
        page.get_by_label("Sonorisation portable (1 au plus)").fill("")
        journey.click("Demander le prêt")
        expect(
            page.get_by_text(re.compile(r"Votre demande de prêt \d{4}-PRET-\w+ est envoyée\."))
        ).to_be_visible()
        journey.log_out()

        loan = Loan.objects.get(purpose="Fête du parc")
        journey.log_in(lender.keeper.email)
        journey.goto("/agents/equipements/prets/")
        section = page.locator("section").filter(
            has=page.get_by_role("heading", name=re.compile(loan.reference))
        )
        section.get_by_label("Accorder").check()
        section.get_by_label("Commentaire").fill("Retrait au centre technique.")
        journey.click(f"Enregistrer : {loan.reference}")
        expect(page.get_by_text(f"Prêt {loan.reference} : décision enregistrée.")).to_be_visible()
        journey.click("Prêts par salle et par matériel", role="link")
        expect(page.get_by_role("cell", name=loan.reference).first).to_be_visible()
    finally:
        context.close()

    loan.refresh_from_db()
    assert loan.status == "approved"
    assert list(
        EquipmentHold.objects.filter(line__loan=loan).values_list("equipment__name", "quantity")
    ) == [("Chaises pliantes", 120)]
    assert auditor.pages_checked == 11
    assert auditor.violations == [], auditor.report()
