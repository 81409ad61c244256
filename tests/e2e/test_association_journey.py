"""Browser journey of an association's year: a treasurer joins an organisation, fills its
vault, applies to a call for projects (prefilled from the vault), services give their
opinions, the committee grants, the notification letter and the agreement are produced,
and the treasurer files the final report. axe checks every page on the way.

Reuses the resident journey's browser, auditor and journey helpers.
"""

import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from guichet.associations.models import SubsidyApplication
from guichet.cli.demo_data import TINY_PDF
from tests import factories
from tests.associations import factories as assoc
from tests.e2e import test_resident_journey as resident

# The resident journey's browser and auditor fixtures, and its helpers.
browser = resident.browser
auditor = resident.auditor
Auditor, Journey, TIMEOUT_MS = resident.Auditor, resident.Journey, resident.TIMEOUT_MS

pytestmark = pytest.mark.e2e


@dataclass
class Town:
    url: str
    treasurer: Any
    instructor: Any
    manager: Any
    roads: Any
    invitation_path: str
    call_title: str
    session_title: str


@pytest.fixture
def town(transactional_db: None, live_server: Any) -> Town:
    authority = factories.authority("ville-a")
    assoc.subsidy_procedure(authority)
    president = factories.person(
        authority, "presidente@example.fr", first_name="Léa", last_name="Roux"
    )
    treasurer = factories.person(
        authority, "tresorier@example.fr", first_name="Hugo", last_name="Blanc"
    )
    organisation = assoc.organisation(authority, president)
    from guichet.accounts import services as accounts

    invitation = accounts.representative_invite(
        organisation=organisation,
        by=president,
        email=treasurer.email,
        role="treasurer",
        accept_url="{token}",
    )
    call = assoc.open_call(authority)
    session = assoc.session(authority)
    factories.service(authority, "police")
    port = live_server.url.rsplit(":", 1)[1]
    return Town(
        url=f"http://ville-a.localhost:{port}",
        treasurer=treasurer,
        instructor=factories.agent(
            authority, "instructeur@example.fr", services=("vie-associative",)
        ),
        manager=factories.agent(
            authority, "responsable@example.fr", role="manager", services=("vie-associative",)
        ),
        roads=factories.agent(authority, "voirie@example.fr", services=("voirie", "police")),
        invitation_path=f"/associations/invitation/{invitation.invitation_token}/",
        call_title=call.title,
        session_title=session.title,
    )


def _pdf_words(content: bytes) -> str:
    """The PDF's text without spaces nor line breaks (table cells wrap)."""
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)
    return "".join(text.split())


def _words(text: str) -> str:
    return "".join(text.split())


def test_association_journey(
    browser: Browser, auditor: Auditor, town: Town, tmp_path: Path
) -> None:
    document = tmp_path / "document.pdf"
    document.write_bytes(TINY_PDF)
    today = timezone.localdate()
    context = browser.new_context(base_url=town.url, accept_downloads=True, locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    journey = Journey(page=context.new_page(), auditor=auditor, javascript=True)
    page = journey.page
    try:
        # The treasurer joins the organisation he was invited to.
        journey.log_in(town.treasurer.email)
        journey.goto(town.invitation_path)
        journey.click("Accepter l'invitation")
        expect(page.get_by_text("Vous représentez maintenant Les Amis du Parc.")).to_be_visible()

        # He fills the vault.
        for kind, iban in [
            ("Statuts", ""),
            ("Liste des dirigeants", ""),
            ("Relevé d'identité bancaire", "FR7630006000011234567890189"),
            ("Derniers comptes approuvés", ""),
        ]:
            page.get_by_role("combobox", name=re.compile("^Document")).select_option(label=kind)
            page.get_by_label("Fichier (PDF, JPEG ou PNG, 10 Mo maximum)").set_input_files(document)
            if kind != "Statuts":
                page.get_by_label("Valable jusqu'au").fill(
                    (today + datetime.timedelta(days=365)).isoformat()
                )
            if iban:
                page.get_by_label("IBAN (relevé d'identité bancaire seulement)").fill(iban)
            journey.click("Déposer dans le coffre-fort")
            expect(page.get_by_text(f"« {kind} » est dans le coffre-fort.")).to_be_visible()
        expect(
            page.get_by_role("cell", name=re.compile("FR76 3000 6000 0112 3456 7890 189"))
        ).to_be_visible()

        # He applies to the open call: the organisation and its documents are taken up.
        journey.click("Espace associations", role="link")
        journey.click(f"Déposer une demande : {town.call_title}", role="link")
        expect(page.get_by_text("73282932000074")).to_be_visible()
        page.get_by_label("Intitulé du projet").fill("Festival du parc")
        page.get_by_label("Objectifs du projet").fill("Trois jours de concerts gratuits.")
        page.get_by_label("Public bénéficiaire").fill("2 000 habitants")
        page.get_by_label("Lieu de réalisation").fill("Parc municipal")
        page.get_by_label("Date de début").fill((today + datetime.timedelta(days=60)).isoformat())
        page.get_by_label("Date de fin").fill((today + datetime.timedelta(days=62)).isoformat())
        page.get_by_label("Charges, ligne 1 : Compte").select_option("64")
        page.get_by_label("Charges, ligne 1 : Libellé").fill("Techniciens et artistes")
        page.get_by_label("Charges, ligne 1 : Montant (€)").fill("40000")
        page.get_by_label("Produits (hors montant demandé), ligne 1 : Compte").select_option(
            "74-region"
        )
        page.get_by_label("Produits (hors montant demandé), ligne 1 : Libellé").fill("Région")
        page.get_by_label("Produits (hors montant demandé), ligne 1 : Montant (€)").fill("10000")
        page.get_by_label("Montant demandé à la collectivité (€)").fill("25000")
        page.get_by_label(re.compile("^Je déclare sur l'honneur")).check()
        journey.click("Envoyer la demande")  # 40,000 of charges, 35,000 of resources
        expect(page.get_by_text("diffèrent de 5000,00 €").first).to_be_visible()
        expect(page.get_by_label("Intitulé du projet")).to_have_value("Festival du parc")
        page.get_by_label("Montant demandé à la collectivité (€)").fill("30000")
        journey.click("Envoyer la demande")
        expect(
            page.get_by_text(re.compile(r"Votre demande \d{4}-SUB-\d{6} est envoyée"))
        ).to_be_visible()
        application = SubsidyApplication.objects.get()
        assert application.case.prefilled["documents"] == [
            "statutes",
            "board_list",
            "bank_details",
            "accounts",
        ]
        journey.log_out()

        # The instructor checks eligibility and asks two services for their opinion.
        journey.log_in(town.instructor.email)
        journey.goto(f"/agents/associations/demandes/{application.pk}/")
        journey.click("Déclarer recevable")
        page.get_by_label("Voirie").check()
        page.get_by_label("Police").check()
        journey.click("Demander les avis")
        expect(page.get_by_text("2 avis demandé(s).")).to_be_visible()
        journey.log_out()

        # The other services answer in the back office.
        journey.log_in(town.roads.email)
        for verdict, comment in [
            ("Favorable", ""),
            ("Favorable avec réserves", "Barrières rue du Parc."),
        ]:
            journey.goto("/agents/associations/avis/")
            page.get_by_role("link", name=re.compile("SUB")).first.click()
            journey.check()
            page.get_by_label(verdict, exact=True).check()
            if comment:
                page.get_by_label("Motivation").fill(comment)
            journey.click("Donner l'avis")
        expect(page.get_by_text("Aucun avis en attente pour vos services.")).to_be_visible()
        journey.log_out()

        # The instructor puts it on the committee's agenda; the manager records the vote.
        journey.log_in(town.instructor.email)
        journey.goto(f"/agents/associations/demandes/{application.pk}/")
        expect(page.get_by_text("Barrières rue du Parc.")).to_be_visible()
        page.get_by_label("Séance de commission").select_option(label=town.session_title)
        page.get_by_label("Montant proposé par le service (€)").fill("25000")
        journey.click("Inscrire à l'ordre du jour")
        journey.log_out()
        journey.log_in(town.manager.email)
        journey.goto("/agents/associations/commissions/")
        journey.click(town.session_title, role="link")
        with page.expect_download() as agenda:
            page.get_by_role("link", name="Ordre du jour (PDF)").click()
        assert _words("Festival du parc") in _pdf_words(Path(agenda.value.path()).read_bytes())
        journey.click(application.case.number, role="link")
        page.get_by_label("Accorder").check()
        page.get_by_label("Montant accordé (€)").fill("25000")
        page.get_by_label("Voix pour").fill("9")
        page.get_by_label("Voix contre").fill("0")
        page.get_by_label("Abstentions").fill("2")
        journey.click("Enregistrer la décision")
        expect(page.get_by_text("Vote : 9 pour, 0 contre, 2 abstention(s).")).to_be_visible()
        journey.log_out()

        # The treasurer reads the letter and the agreement, then files the final report.
        journey.log_in(town.treasurer.email)
        journey.goto(f"/associations/{application.organisation_id}/demandes/{application.pk}/")
        expect(page.locator(".badge")).to_have_text("Subvention accordée")
        number = application.case.number
        for name, expected in [
            (f"notification-{number}.pdf", "subvention de 25000,00 €"),
            (f"convention-{number}.pdf", "Convention d'objectifs et de moyens"),
        ]:
            with page.expect_download() as download:
                page.get_by_role("link", name=name).click()
            assert _words(expected) in _pdf_words(Path(download.value.path()).read_bytes())
        page.get_by_label("Actions réalisées").fill("Trois soirées de concerts.")
        page.get_by_label("Nombre de bénéficiaires").fill("2300")
        page.get_by_label("Total des charges réalisées (€)").fill("39500")
        page.get_by_label("Total des produits réalisés (€)").fill("39500")
        journey.click("Déposer le compte rendu")
        expect(page.get_by_text("Votre compte rendu financier est déposé.")).to_be_visible()
        expect(page.locator(".badge")).to_have_text("Compte rendu financier déposé")
    finally:
        context.close()

    application.refresh_from_db()
    assert application.amount_granted == Decimal("25000.00")
    assert auditor.pages_checked >= 25
    if auditor.violations:
        pytest.fail(auditor.report(), pytrace=False)
