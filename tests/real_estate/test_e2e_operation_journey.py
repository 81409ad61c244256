"""Browser journey: an agent of the operations service turns a school's works request into an
operation, records a contract and an invoice, moves it through its phases; the public page
shows the progress; the school follows it. Every page is checked with axe (WCAG 2.1 A/AA)."""

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from guichet.engine import services as engine
from guichet.real_estate.models import Invoice, Operation
from tests import factories
from tests.e2e.test_resident_journey import (  # noqa: F401 - fixtures used by name
    TIMEOUT_MS,
    Auditor,
    Journey,
    auditor,
    browser,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def school_request(transactional_db: None, live_server: Any) -> dict[str, Any]:
    authority = factories.authority("ville-a")
    procedure = factories.procedure_from(authority, "real_estate/procedures/works_request.yaml")
    factories.service(authority, "ecoles")
    school = factories.agent(authority, "ecoles@example.fr", services=("ecoles",))
    lead = factories.agent(authority, "patrimoine@example.fr", services=("patrimoine",))
    case = engine.case_start(procedure=procedure, applicant=school)
    engine.case_answers_save(
        case=case,
        answers={
            "building": "École des Tilleuls",
            "address": "8 allée des Tilleuls, 45000 Ville A",
            "works_kind": "accessibility",
            "description": "Une rampe d'accès et des sanitaires adaptés.",
        },
        uploads={},
        by=school,
    )
    case = engine.case_submit(case=case, by=school)
    port = live_server.url.rsplit(":", 1)[1]
    return {"url": f"http://ville-a.localhost:{port}", "case": case, "school": school, "lead": lead}


def _form(page: Any, heading: str) -> Any:
    """An action form of the operation's page, folded under its summary until opened."""
    page.locator("summary", has_text=heading).click()
    return page.locator("form").filter(has=page.get_by_role("heading", name=heading, exact=True))


def test_operation_journey(browser: Browser, auditor: Auditor, school_request: dict) -> None:  # noqa: F811
    context = browser.new_context(base_url=school_request["url"], locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    journey = Journey(page=context.new_page(), auditor=auditor, javascript=True)
    page = journey.page
    case = school_request["case"]
    try:
        journey.log_in(school_request["lead"].email)
        journey.goto("/agents/")
        journey.click("Patrimoine bâti")  # the menu's group, a disclosure with JavaScript
        journey.click("Opérations immobilières", role="link")
        journey.click(f"Créer l'opération de la demande {case.number}", role="link")
        expect(page.get_by_label("Nom de l'opération")).to_have_value("École des Tilleuls")
        page.get_by_label("Nom de l'opération").fill("Accessibilité de l'école des Tilleuls")
        page.get_by_label("Parcelle cadastrale").fill("pas une parcelle")
        page.get_by_label("Début de la programmation").fill("2026-01-05")
        journey.click("Créer l'opération")  # the parcel is refused, the answers kept
        expect(
            page.get_by_role("heading", name="Le formulaire contient des erreurs")
        ).to_be_visible()
        page.get_by_label("Parcelle cadastrale").fill("AB 0042")
        journey.click("Créer l'opération")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Accessibilité de l'école des Tilleuls"
        )
        operation = Operation.objects.get()
        assert operation.requesting_service.slug == "ecoles"

        contract = _form(page, "Enregistrer un marché")
        contract.get_by_label("Numéro de lot").fill("1")
        contract.get_by_label("Intitulé du lot").fill("Gros œuvre")
        contract.get_by_label("Titulaire", exact=False).first.fill("Bâti Centre SARL")
        contract.get_by_label("SIRET du titulaire").fill("732 829 320 00074")
        contract.get_by_label("Montant HT").fill("84500,00")
        contract.get_by_label("Notifié le").fill("2026-03-02")
        journey.click("Enregistrer le marché")
        expect(page.get_by_text("Le marché est enregistré.")).to_be_visible()

        invoice = _form(page, "Enregistrer une facture reçue")
        invoice.get_by_label("Marché").select_option(label="Lot 1 — Gros œuvre")
        invoice.get_by_label("Numéro de facture").fill("BC-0001")
        invoice.get_by_label("Reçue le").fill("2026-04-01")
        invoice.get_by_label("Montant HT").fill("12000")
        journey.click("Enregistrer la facture")
        expect(page.get_by_role("cell", name="1 mai 2026")).to_be_visible()  # due in 30 days

        for phase, start, end in [
            ("Programmation", "2026-01-05", "2026-04-20"),
            ("Esquisse (ESQ)", "2026-04-21", ""),
        ]:
            journey.click(f"Dates — {phase}", role="link")
            page.get_by_label("Début réel").fill(start)
            if end:
                page.get_by_label("Fin réelle").fill(end)
            journey.click("Enregistrer les dates")
        expect(page.locator("tr[data-phase=programming]")).to_contain_text("en retard")
        journey.log_out()

        # A resident sees the progress on the public page.
        journey.goto(f"/chantiers/{operation.pk}/")
        expect(page.get_by_text("1 étapes terminées sur 9 (11 %)")).to_be_visible()
        expect(page.locator(".current-phase")).to_have_text("Esquisse (ESQ)")
        expect(page.locator("svg[role=img] g[data-phase]")).to_have_count(9)

        # The school follows its request.
        journey.log_in(school_request["school"].email)
        journey.goto("/agents/operations/suivi/")
        expect(
            page.get_by_role("link", name="Accessibilité de l'école des Tilleuls")
        ).to_be_visible()
        expect(page.get_by_role("cell", name="Esquisse (ESQ)")).to_be_visible()
    finally:
        context.close()

    assert Invoice.objects.get().amount_ttc == 14400
    assert re.fullmatch(r"\d{4}-DTRAV-\d{6}", case.number)
    if auditor.violations:
        pytest.fail(auditor.report(), pytrace=False)
