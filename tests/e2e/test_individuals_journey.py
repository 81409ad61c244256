"""Browser journey of the individuals' domain: a beneficiary follows an APA case to its
decision and payment plan without paper, then a family pays its invoice online through
eopayment's dummy backend and the local dummy payment service, whose notification is then
replayed (and forged unsigned) without effect.

Reuses the resident journey's browser, axe auditor and journey helpers."""

import datetime
import io
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from guichet.cli.demo_data import TINY_PDF
from guichet.individuals import school
from guichet.individuals.models import AidApplication, Invoice
from guichet.payments.models import Payment, PaymentEvent
from tests import factories
from tests.e2e.test_resident_journey import (  # the shared browser helpers
    TIMEOUT_MS,
    Auditor,
    Journey,
    auditor,
    browser,
)
from tests.individuals.school_factories import activity_with_grid, household_with_child

pytestmark = pytest.mark.e2e
__all__ = ["auditor", "browser"]


def _notify(url: str, host: str, fields: dict[str, str]) -> int:
    request = urllib.request.Request(  # noqa: S310 - the live server on loopback
        url, data=urllib.parse.urlencode(fields).encode(), headers={"Host": host}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_individuals_journey(
    browser: Browser, auditor: Auditor, transactional_db: None, live_server: Any, tmp_path: Path
) -> None:
    port = live_server.url.rsplit(":", 1)[1]
    departement = factories.authority("departement-a", kind="departement")
    factories.procedure_from(departement, "individuals/procedures/social_aid.yaml")
    factories.procedure_from(departement, "individuals/procedures/situation_change.yaml")
    beneficiary = factories.person(
        departement, "jeanne@example.fr", first_name="Jeanne", last_name="Roux"
    )
    instructor = factories.agent(departement, "instructeur@example.fr", services=("aide-sociale",))
    document = tmp_path / "piece.pdf"
    document.write_bytes(TINY_PDF)

    context = browser.new_context(base_url=f"http://departement-a.localhost:{port}", locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    journey = Journey(page=context.new_page(), auditor=auditor, javascript=True)
    page = journey.page
    try:
        # The beneficiary applies for APA and sends the documents asked.
        journey.log_in(beneficiary.email)
        journey.click("Mes aides sociales", role="link")
        journey.click("Demander une aide (APA, PCH, RSA)", role="link")
        journey.click("Envoyer ma demande")  # nothing answered: the errors are listed
        expect(
            page.get_by_role("heading", name="Le formulaire contient des erreurs")
        ).to_be_visible()
        page.get_by_label("Allocation personnalisée d'autonomie (APA)").check()
        page.get_by_label("Nombre de personnes au foyer").fill("1")
        page.get_by_label("Ressources mensuelles du foyer (en euros)").fill("1250,50")
        journey.click("Envoyer ma demande")
        expect(page.get_by_text("Envoyez les pièces demandées ci-dessous.")).to_be_visible()
        for label in (
            "Pièce d'identité",
            "Dernier avis d'imposition",
            "Relevé d'identité bancaire",
        ):
            page.get_by_label(f"Fichier : {label}").set_input_files(document)
            journey.click(f"Envoyer : {label}")
        expect(page.get_by_text("envoyée (piece.pdf)")).to_have_count(3)
        application = AidApplication.objects.get()
        journey.log_out()

        # The instructor sets the assessment appointment, then grants the aid.
        journey.log_in(instructor.email)
        journey.goto(f"/agents/aide-sociale/{application.pk}/")
        page.get_by_label("Date et heure du rendez-vous").fill("14/01/2027 10:30")
        page.get_by_label("Lieu").fill("à domicile")
        journey.click("Fixer le rendez-vous")
        page.get_by_label("GIR (APA)").first.select_option("2")
        page.get_by_label("Montant mensuel (euros)").fill("812,40")
        page.get_by_label("Date d'effet").fill("15/02/2027")
        journey.click("Accorder l'aide")
        expect(page.get_by_text("812,40 € par mois à partir du 15 février 2027")).to_be_visible()
        journey.log_out()

        # The beneficiary sees the decision, the payment plan, the letter; writes; reports a change.
        journey.log_in(beneficiary.email)
        journey.goto(f"/aide-sociale/{application.pk}/")
        expect(
            page.get_by_text("Aide accordée : 812,40 € par mois à partir du 15 février 2027.")
        ).to_be_visible()
        expect(page.get_by_text("1 février 2027 : 812,40 €").first).to_be_visible()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Télécharger la notification de décision (PDF)").click()
        letter = Path(download_info.value.path()).read_bytes()
        text = PdfReader(io.BytesIO(letter)).pages[0].extract_text()
        assert "812,40 € par mois" in text
        page.get_by_label("Votre message au service").fill("Merci pour votre visite.")
        journey.click("Envoyer le message")
        page.get_by_label("Date du changement").fill("01/03/2027")
        page.get_by_label("Ce qui a changé").fill("Ma fille vient vivre chez moi.")
        journey.click("Signaler le changement")
        expect(page.get_by_text("Votre changement de situation est enregistré")).to_be_visible()
        journey.log_out()
    finally:
        context.close()

    # A family pays its invoice online.
    city = factories.authority("ville-a")
    resident = factories.resident(city)
    agent = factories.agent(city, services=("enfance",))
    canteen = activity_with_grid(city)
    household, lea = household_with_child(resident, quotient="720")
    enrolment = school.activity_enrol(child=lea, activity=canteen, weekdays=[0])
    for day in (1, 8, 15):
        school.attendance_record(
            enrolment=enrolment, date=datetime.date(2027, 3, day), is_present=True, by=agent
        )
    invoice = school.invoice_issue(
        household=household, regie=canteen.regie, month=datetime.date(2027, 3, 1)
    )
    context = browser.new_context(base_url=f"http://ville-a.localhost:{port}", locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    journey = Journey(page=context.new_page(), auditor=auditor, javascript=True)
    page = journey.page
    try:
        journey.log_in(resident.email)
        journey.click("Espace famille", role="link")
        journey.click(f"Payer en ligne la facture {invoice.number}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Banque fictive — paiement")
        journey.click("Payer")
        expect(page.get_by_text("Paiement de 7,05 € reçu, merci.")).to_be_visible()
        expect(page.get_by_text("Payée le")).to_be_visible()
    finally:
        context.close()

    # The dummy service's notification (sent by the task) paid it; it is replayed, then
    # forged without the dummy's "signed" flag: nothing changes.
    invoice.refresh_from_db()
    paid_at = invoice.paid_at
    notification = PaymentEvent.objects.get(channel="notification", changed_state=True)
    payment = Payment.objects.get()
    notify = f"http://127.0.0.1:{port}/paiement/notification/?ref={payment.reference}"
    host = f"ville-a.localhost:{port}"
    replayed = _notify(notify, host, notification.fields)
    unsigned = _notify(
        notify, host, {k: v for k, v in notification.fields.items() if k != "signed"}
    )

    assert notification.fields == {
        "transaction_id": payment.transaction_id,
        "ok": "1",
        "signed": "1",
    }
    assert (replayed, unsigned) == (200, 400)
    assert Payment.objects.count() == 1
    payment.refresh_from_db()
    assert payment.state == "paid"
    invoice.refresh_from_db()
    assert invoice.paid_at == paid_at is not None
    assert Invoice.objects.filter(paid_at__isnull=False).count() == 1
    assert list(PaymentEvent.objects.values_list("channel", "changed_state")) == [
        ("notification", True),
        ("notification", False),
    ]
    assert auditor.pages_checked >= 20
    if auditor.violations:
        pytest.fail(auditor.report(), pytrace=False)
