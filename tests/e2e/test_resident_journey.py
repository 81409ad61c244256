"""Browser journeys: a resident asks for a civil-status certificate, an agent delivers it.

Runs in Debian's Chromium through Playwright, against pytest-django's live server (real
transactions, so e-mails and PDFs are produced right after each request). Every page the
journey loads is checked with axe (WCAG 2.0/2.1 A and AA); the violations are reported together
at the end so one run lists them all.
"""

import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from guichet.cli.demo_data import TINY_PDF
from tests import factories

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("GUICHET_REQUIRE_BROWSER") == "1"

if not CHROMIUM.exists():
    if REQUIRE_BROWSER:
        raise RuntimeError(
            f"GUICHET_REQUIRE_BROWSER=1 but {CHROMIUM} is missing: the browser tests cannot run."
        )
    pytest.skip(f"{CHROMIUM} is missing", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from guichet.engine.models import Case  # noqa: E402

pytestmark = pytest.mark.e2e

LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# axe 4.12 no longer reports duplicate ids under the WCAG tags, nor references to missing ids
# when another reference is valid: checked here, in the shape of axe's results.
REFERENCES_CHECK = """() => {
  const found = [];
  const report = (id, help, element) => found.push({
    id, impact: "serious", help,
    nodes: [{target: [element.id ? "#" + element.id : element.tagName.toLowerCase()],
             html: element.outerHTML}],
  });
  const seen = new Set();
  for (const element of document.querySelectorAll("[id]")) {
    if (seen.has(element.id)) report("guichet-duplicate-id", "ids are unique", element);
    seen.add(element.id);
  }
  for (const element of document.querySelectorAll(
      "[aria-describedby], [aria-labelledby], [aria-controls], label[for]")) {
    for (const name of ["aria-describedby", "aria-labelledby", "aria-controls", "for"]) {
      for (const ref of (element.getAttribute(name) || "").split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(ref)) {
          report("guichet-missing-reference", `${name} refers to a missing id: ${ref}`, element);
        }
      }
    }
  }
  for (const link of document.querySelectorAll("a[href^='#']")) {
    const ref = decodeURIComponent(link.getAttribute("href").slice(1));
    if (ref && !document.getElementById(ref)) {
      report("guichet-missing-reference", `the link goes to a missing id: ${ref}`, link);
    }
  }
  return found;
}"""
NUMBER = re.compile(r"\d{4}-ACTE-\d{6}")
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM, used by the test
    # itself, refuses to run beside one unless told it is safe (it is: one thread, no await).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Violation:
    url: str
    rule: str
    impact: str
    help: str
    nodes: list[str]

    def __str__(self) -> str:
        targets = "\n      ".join(self.nodes)
        return f"{self.rule} ({self.impact}) on {self.url}: {self.help}\n      {targets}"


@dataclass
class Auditor:
    """Runs axe on each page and keeps every violation, with its URL."""

    browser: Browser
    violations: list[Violation] = field(default_factory=list)
    pages_checked: int = 0
    _page: Page | None = None
    _replayed: dict[str, str] = field(default_factory=dict)

    def check(self, page: Page, *, javascript: bool = True) -> None:
        page.wait_for_load_state("load")
        url = page.url
        checked = page if javascript else self._replay(url, page.content())
        results = Axe().run(checked, options=AXE_OPTIONS)
        self.pages_checked += 1
        for item in [*results.response["violations"], *checked.evaluate(REFERENCES_CHECK)]:
            self.violations.append(
                Violation(
                    url=url,
                    rule=item["id"],
                    impact=item.get("impact") or "",
                    help=item.get("help", ""),
                    nodes=[
                        f"{', '.join(map(str, node['target']))}: {node.get('html', '')[:160]}"
                        for node in item["nodes"]
                    ],
                )
            )

    def _replay(self, url: str, html: str) -> Page:
        """axe needs timers, which a page without JavaScript does not run: the HTML that page
        received is shown again, at the same address (so the same CSS applies), in a page that
        runs JavaScript but not ours."""
        if self._page is None:
            context = self.browser.new_context()
            context.route("**/*", self._serve)
            self._page = context.new_page()
        self._replayed[url] = html
        self._page.goto(url)
        return self._page

    def _serve(self, route: Route) -> None:
        url = route.request.url
        if route.request.resource_type == "document" and url in self._replayed:
            body = self._replayed.pop(url)
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)
        elif route.request.resource_type == "script":
            route.fulfill(status=200, content_type="text/javascript", body="")
        else:
            route.continue_()

    def close(self) -> None:
        if self._page is not None:
            self._page.context.close()

    def report(self) -> str:
        return f"{len(self.violations)} accessibility violation(s):\n" + "\n".join(
            f"  - {violation}" for violation in self.violations
        )


@pytest.fixture
def auditor(browser: Browser) -> Iterator[Auditor]:
    made = Auditor(browser)
    yield made
    made.close()


@dataclass
class City:
    url: str
    resident: Any
    agent: Any


@pytest.fixture
def city(transactional_db: None, live_server: Any) -> City:
    authority = factories.authority("ville-a")
    factories.civil_status_procedure(authority)
    port = live_server.url.rsplit(":", 1)[1]
    return City(
        url=f"http://ville-a.localhost:{port}",
        resident=factories.resident(authority),
        agent=factories.agent(authority),
    )


@dataclass
class Journey:
    page: Page
    auditor: Auditor
    javascript: bool

    def check(self) -> None:
        self.auditor.check(self.page, javascript=self.javascript)

    def goto(self, path: str) -> None:
        self.page.goto(path)
        self.check()

    def click(self, name: str, *, role: str = "button") -> None:
        self.page.get_by_role(role, name=name, exact=True).click()  # type: ignore[arg-type]
        self.check()

    def log_in(self, email: str) -> None:
        self.goto("/connexion/")
        self.page.get_by_label("Adresse électronique").fill(email)
        self.page.get_by_label("Mot de passe").fill(factories.PASSWORD)
        self.click("Se connecter")
        expect(self.page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    def log_out(self) -> None:
        self.click("Se déconnecter")
        expect(self.page.get_by_role("link", name="Se connecter")).to_be_visible()

    def agent_transition(self, case_id: int, label: str, comment: str = "") -> None:
        self.goto(f"/agents/dossiers/{case_id}/")
        form = self.page.locator("form").filter(
            has=self.page.get_by_role("button", name=label, exact=True)
        )
        if comment:
            form.get_by_label("Commentaire pour le demandeur").fill(comment)
        form.get_by_role("button", name=label, exact=True).click()
        self.check()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_resident_journey(
    browser: Browser, auditor: Auditor, city: City, tmp_path: Path, javascript: bool
) -> None:
    identity = tmp_path / "carte-identite.pdf"
    identity.write_bytes(TINY_PDF)
    proof = tmp_path / "livret-de-famille.pdf"
    proof.write_bytes(TINY_PDF)

    context = browser.new_context(
        base_url=city.url, java_script_enabled=javascript, accept_downloads=True, locale="fr-FR"
    )
    context.set_default_timeout(TIMEOUT_MS)
    journey = Journey(page=context.new_page(), auditor=auditor, javascript=javascript)
    page = journey.page
    try:
        # The resident asks for a birth certificate.
        journey.log_in(city.resident.email)
        journey.click("Démarches", role="link")
        journey.click("Demande d'acte d'état civil", role="link")
        journey.click("Commencer la démarche")

        expect(page.get_by_role("heading", level=1)).to_have_text("L'acte demandé")
        journey.click("Étape suivante")  # nothing answered: the errors are listed, and checked
        expect(page.get_by_role("heading", name="4 champs à corriger")).to_be_visible()
        page.get_by_label("Acte de naissance").check()
        page.get_by_label("Extrait sans filiation").check()
        page.get_by_label("Date de l'événement").fill("1990-04-12")
        page.get_by_label("Nombre d'exemplaires").fill("1")
        journey.click("Étape suivante")

        expect(page.get_by_role("heading", level=1)).to_have_text("La personne concernée et vous")
        expect(page.get_by_label("Nom de la personne concernée")).to_have_value("Martin")
        expect(page.get_by_label("Prénom(s) de la personne concernée")).to_have_value("Camille")
        page.get_by_label("Adresse d'envoi").fill("12 rue des Lilas, 45000 Ville A")
        page.get_by_label("Pièce d'identité").set_input_files(identity)
        journey.click("Vérifier ma demande")

        expect(page.get_by_text("Acte de naissance")).to_be_visible()
        expect(page.get_by_text("carte-identite.pdf")).to_be_visible()
        send = page.get_by_role("button", name="Envoyer ma demande")
        if javascript:
            send.dblclick()
        else:
            send.click()
        page.wait_for_url(re.compile(r"/dossiers/\d+/recu/$"))
        journey.check()
        receipt = page.locator(".panel").first.inner_text()
        found = NUMBER.search(receipt)
        assert found, receipt
        number = found.group(0)
        case_id = int(re.search(r"/dossiers/(\d+)/recu/", page.url).group(1))  # type: ignore[union-attr]
        filed = Case.objects.filed().filter(applicant=city.resident)
        assert list(filed.values_list("number", flat=True)) == [number]
        journey.log_out()

        # The agent takes the case and asks for a document.
        journey.log_in(city.agent.email)
        journey.agent_transition(case_id, "Prendre en charge")
        journey.agent_transition(
            case_id, "Demander des pièces", comment="Merci de joindre votre livret de famille."
        )
        journey.log_out()

        # The resident sends it.
        journey.log_in(city.resident.email)
        journey.goto(f"/dossiers/{case_id}/")
        expect(page.locator(".badge")).to_have_text("En attente de pièces")
        expect(page.get_by_text("Merci de joindre votre livret de famille.").first).to_be_visible()
        page.get_by_label("Pièces à joindre").set_input_files(proof)
        journey.click("Envoyer les pièces")
        expect(page.get_by_text("Vos pièces ont bien été transmises au service.")).to_be_visible()
        expect(page.locator(".badge")).to_have_text("En cours de traitement")
        journey.log_out()

        # The agent delivers the certificate from the civil-status page, which checks who
        # may obtain it: the generic case page links there.
        journey.log_in(city.agent.email)
        journey.goto(f"/agents/dossiers/{case_id}/")
        journey.click("Traitement de la demande d'acte", role="link")
        journey.click("Délivrer et envoyer l'acte")
        expect(page.get_by_text("L'acte est délivré et envoyé.")).to_be_visible()
        journey.log_out()

        # The resident sees the decision and downloads it.
        journey.log_in(city.resident.email)
        journey.goto(f"/dossiers/{case_id}/")
        expect(page.locator(".badge")).to_have_text("Acte délivré")
        link = page.get_by_role("link", name=f"decision-{number}.pdf")
        with page.expect_download() as download_info:
            link.click()
        download = download_info.value
        assert download.suggested_filename == f"decision-{number}.pdf"
        content = Path(download.path()).read_bytes()
        assert content.startswith(b"%PDF")
        text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)
        assert number in text
    finally:
        context.close()

    assert Case.objects.filed().filter(applicant=city.resident).count() == 1
    assert auditor.pages_checked >= 20
    if auditor.violations:
        pytest.fail(auditor.report(), pytrace=False)


def test_public_pages_are_accessible(
    browser: Browser, auditor: Auditor, city: City, live_server: Any
) -> None:
    """The platform page (no authority) and a city's public pages, logged out."""
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    port = live_server.url.rsplit(":", 1)[1]
    try:
        page.goto(f"http://localhost:{port}/")
        expect(page.get_by_role("link", name="Accéder aux services de Ville A")).to_be_visible()
        auditor.check(page)
        for path in ("/demarches/", "/suivi/", "/connexion/", "/accessibilite/"):
            response = page.goto(city.url + path)
            assert response is not None
            assert response.status == 200, path
            auditor.check(page)
        page.goto(city.url + "/suivi/")
        page.get_by_role("button", name="Voir le dossier").click()  # nothing typed: errors
        expect(
            page.get_by_role("heading", name="Le formulaire contient des erreurs")
        ).to_be_visible()
        expect(page).to_have_title(re.compile(r"^Erreur — Suivre un dossier"))
        auditor.check(page)
    finally:
        context.close()
    assert auditor.pages_checked == 6
    if auditor.violations:
        pytest.fail(auditor.report(), pytrace=False)
