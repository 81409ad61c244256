"""Browser journey of the procedure builder: an administrator builds a two-page procedure
with a condition and a three-status workflow, test-runs it and publishes it; a resident
files it at once; an agent processes it. axe-core checks every page on the way, and the
browser reports no Content-Security-Policy violation.

Reuses the resident journey's browser, auditor and journey helpers (no copy)."""

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from guichet.engine.models import Case, Procedure
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
def town(transactional_db: None, live_server: Any) -> dict[str, Any]:
    authority = factories.authority("ville-a")
    factories.service(authority, "etat-civil")
    port = live_server.url.rsplit(":", 1)[1]
    return {
        "url": f"http://ville-a.localhost:{port}",
        "admin": factories.person(
            authority, "admin@example.fr", is_authority_admin=True, first_name="Alice"
        ),
        "resident": factories.resident(authority),
        "agent": factories.agent(authority),
    }


def _save(journey: Journey, *, audit: bool = True) -> None:
    button = journey.page.get_by_role("button", name="Enregistrer", exact=True)
    if audit:
        journey.click("Enregistrer")
    else:
        button.click()
    expect(journey.page.get_by_text("Le brouillon est enregistré.")).to_be_visible()


def _add_field(journey: Journey, procedure_id: int, *, audit: bool = False, **values: str) -> None:
    """Adds a field; only the pages asked for are audited (the same form, again and again)."""
    page = journey.page
    url = f"/agents/demarches/{procedure_id}/champs/nouveau/"
    if audit:
        journey.goto(url)
    else:
        page.goto(url)
    page.get_by_label(re.compile(r"^Type")).select_option(values.pop("type"))
    for label, value in values.items():
        field = page.get_by_label(label, exact=True)
        if label == "Afficher seulement si le champ":
            field.select_option(value)
        elif label == "Obligatoire":
            field.check()
        else:
            field.fill(value)
    if values.get("Libellé (ou titre de la page)"):
        expect(page.locator("[data-field-preview]")).to_contain_text(
            values["Libellé (ou titre de la page)"]
        )
    if audit:
        journey.check()  # with the live preview shown
    _save(journey, audit=audit)


def test_builder_journey(browser: Browser, auditor: Auditor, town: dict[str, Any]) -> None:  # noqa: F811
    context = browser.new_context(base_url=town["url"], locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    journey = Journey(page=context.new_page(), auditor=auditor, javascript=True)
    page = journey.page
    blocked: list[str] = []  # the builder's scripts and styles obey the strict CSP
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        # The administrator creates the procedure.
        journey.log_in(town["admin"].email)
        journey.goto("/agents/demarches/")
        form = page.locator("form").filter(
            has=page.get_by_role("button", name="Créer le brouillon")
        )
        form.get_by_label("Nom de la démarche").fill("Parcelle de jardin partagé")
        form.get_by_label(re.compile(r"^Code")).fill("JARDIN")
        form.get_by_label("Adresse (slug)").fill("jardin-partage")
        form.get_by_label("Domaine").select_option("individuals")
        form.get_by_label("Service qui traite les dossiers").select_option("etat-civil")
        journey.click("Créer le brouillon")
        expect(page.get_by_text("La démarche est créée, en brouillon.")).to_be_visible()
        procedure = Procedure.objects.get(code="JARDIN")
        pk = procedure.pk

        # Two pages, a condition.
        _add_field(
            journey, pk, audit=True, type="page", **{"Libellé (ou titre de la page)": "Vous"}
        )
        _add_field(
            journey,
            pk,
            type="yes_no",
            **{
                "Libellé (ou titre de la page)": "Avez-vous déjà un jardin ?",
                "Nom technique": "has_garden",
                "Obligatoire": "on",
            },
        )
        _add_field(
            journey,
            pk,
            type="text",
            **{
                "Libellé (ou titre de la page)": "Nom complet",
                "Nom technique": "full_name",
                "Obligatoire": "on",
            },
        )
        _add_field(journey, pk, type="page", **{"Libellé (ou titre de la page)": "Votre jardin"})
        _add_field(
            journey,
            pk,
            audit=True,
            type="number",
            **{
                "Libellé (ou titre de la page)": "Surface actuelle (m²)",
                "Nom technique": "garden_size",
                "Obligatoire": "on",
                "Afficher seulement si le champ": "has_garden",
                "vaut (une valeur, ou plusieurs séparées par des virgules)": "oui",
            },
        )
        # Drag and drop: the name before the yes / no question.
        items = page.locator("[data-builder-sortable] > li")
        expect(page.locator("[data-preview-target] .builder-preview-body")).to_be_visible()
        with page.expect_navigation():  # the new order is saved, then the page reloads
            items.nth(2).drag_to(items.nth(1))
        expect(items.nth(1)).to_contain_text("Nom complet")
        journey.check()

        # A three-status workflow: submitted → review → accepted.
        journey.goto(f"/agents/demarches/{pk}/statuts/nouveau/")
        page.get_by_label(re.compile(r"^Code")).fill("review")
        page.get_by_label(re.compile(r"^Libellé")).fill("En examen")
        page.get_by_label("À l'entrée : écrire au demandeur").select_option("case_status_changed")
        _save(journey)
        journey.goto(f"/agents/demarches/{pk}/transitions/nouvelle/")
        page.get_by_label("Nom technique").fill("examine")
        page.get_by_label("Libellé du bouton").fill("Examiner")
        page.get_by_label("Depuis le statut").select_option("submitted")
        page.get_by_label("Vers le statut").select_option("review")
        page.get_by_label("Agent", exact=True).check()
        _save(journey)
        journey.goto(f"/agents/demarches/{pk}/transitions/0/")
        page.get_by_label("Depuis le statut").select_option("review")
        _save(journey)
        expect(page.get_by_text("problème à corriger avant de publier")).to_have_count(0)

        # Test run: the form as a resident, then the workflow step by step.
        journey.click("Tester", role="link")
        journey.click("Vous", role="link")
        page.get_by_label("Nom complet").fill("Léa Durand")
        page.get_by_label("Oui").check()
        journey.click("Étape suivante")
        journey.click("Terminer le formulaire")  # the shown condition makes the size required
        expect(
            page.get_by_role("heading", name="Le formulaire contient des erreurs")
        ).to_be_visible()
        page.get_by_label("Surface actuelle (m²)").fill("12")
        journey.click("Terminer le formulaire")
        journey.click("Déposer la demande d'essai")
        journey.click("Examiner (rôles : agent)")
        expect(page.get_by_text("Statut actuel : En examen")).to_be_visible()
        journey.click("Accepter (rôles : agent, manager)")
        expect(page.get_by_text("Statut actuel : Acceptée")).to_be_visible()
        expect(page.locator(".builder-email").first).to_contain_text(
            "-JARDIN-ESSAI a bien été reçue"
        )
        assert Case.objects.count() == 0

        # Publish: first version.
        journey.click("Retour au brouillon", role="link")
        journey.click("Publier", role="link")
        expect(page.get_by_role("heading", name="Première version")).to_be_visible()
        journey.click("Publier cette version")
        expect(page.get_by_text("La version 1 est publiée")).to_be_visible()
        journey.log_out()

        # A resident files it at once.
        journey.log_in(town["resident"].email)
        journey.click("Démarches", role="link")
        journey.click("Parcelle de jardin partagé", role="link")
        journey.click("Commencer la démarche")
        page.get_by_label("Nom complet").fill("Camille Martin")
        page.get_by_label("Non").check()
        journey.click("Étape suivante")
        # The size, on another page, is shown with a note; not needed after "Non".
        journey.click("Vérifier ma demande")
        journey.click("Envoyer ma demande")
        page.wait_for_url(re.compile(r"/dossiers/\d+/recu/$"))
        journey.check()
        case = Case.objects.filed().get(procedure=procedure)
        assert case.version.number == 1
        journey.log_out()

        # An agent processes it.
        journey.log_in(town["agent"].email)
        journey.agent_transition(case.pk, "Examiner")
        journey.agent_transition(case.pk, "Accepter")
        case.refresh_from_db()
        assert (case.status, case.closed_at is not None) == ("accepted", True)
    finally:
        context.close()

    assert blocked == []
    if auditor.violations:
        pytest.fail(auditor.report(), pytrace=False)
