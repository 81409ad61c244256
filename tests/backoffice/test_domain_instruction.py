"""A domain that owns a procedure's instruction takes its steps on its own pages: the
generic case page links there, and refuses those steps even when posted directly."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from guichet.accounts.models import User
from guichet.backoffice.case_pages import PAGES
from guichet.backoffice.forms import bulk_transition_choices
from guichet.engine import builder
from guichet.engine import services as engine
from guichet.engine.instruction import instructions, transition_is_generic
from guichet.engine.models import Case, CaseTransition, Procedure
from guichet.individuals import social_aid
from guichet.tenants.models import Authority
from tests import factories

DOMAIN_OWNED = {
    "demande-subvention": "associations",
    "acte-etat-civil": "individuals",
    "aide-sociale": "individuals",
    "demande-travaux": "real_estate",
}
REFUSAL = (
    "Cette action se fait depuis la page d&#x27;instruction du domaine, qui en vérifie les "
    "règles ; le dossier n&#x27;a pas été modifié."
)


def _state(case: Case) -> tuple:
    case = Case.objects.get(pk=case.pk)
    history = list(
        CaseTransition.objects.filter(case=case).values_list("from_status", "to_status", "actor")
    )
    return case.status, case.closed_at, history


def _client_for(case: Case, email: str) -> tuple[Client, User]:
    """A manager of the case's service: every role its workflow asks for."""
    manager = factories.agent(case.authority, email, role="manager", services=(case.service.slug,))
    client = Client(HTTP_HOST=case.authority.hosts.first().host)
    client.force_login(manager)
    return client, manager


def test_the_domains_declare_the_procedures_they_instruct_and_the_back_office_links_each():
    declared = {slug: item.domain for slug, item in instructions().items()}

    assert declared == DOMAIN_OWNED
    assert set(PAGES) == set(DOMAIN_OWNED)


def test_demo__a_domain_step_posted_to_the_generic_page_changes_nothing(db):
    """For every domain-owned procedure of the demo, a case where a reserved step is
    possible: the generic page does not offer it but links to the domain's page, and a
    direct POST of it is refused with the case and its history unchanged."""
    call_command("seed_demo", verbosity=0)
    # The demo's only social aid is decided: one more, its appointment still to set.
    departement = Authority.objects.get(kind="departement")
    social_aid.aid_apply(
        authority=departement,
        applicant=departement.users.get(email="jean.petit@example.fr"),
        kind="pch",
        household_size=2,
        household="",
        monthly_resources=Decimal("1530.00"),
    )
    tried = {}
    for slug in DOMAIN_OWNED:
        for case in Case.objects.filed().filter(procedure__slug=slug).order_by("pk"):
            workflow = case.version.parsed.workflow
            reserved = [
                t
                for t in workflow.transitions_from(case.status, {"agent", "manager"})
                if not transition_is_generic(procedure=case.procedure, name=t.name)
            ]
            if reserved:
                break
        else:
            pytest.fail(f"the demo has no {slug} case with a step of its domain to take")
        transition = reserved[0]
        client, _manager = _client_for(case, f"manager-{slug}@example.fr")
        before = _state(case)

        page = client.get(f"/agents/dossiers/{case.pk}/").content.decode()
        response = client.post(
            f"/agents/dossiers/{case.pk}/transition/",
            {"name": transition.name, "comment": "Décidé sans passer par le domaine."},
        )

        assert f'<input type="hidden" name="name" value="{transition.name}">' not in page, slug
        domain_page = PAGES[slug](case)
        assert domain_page is not None, slug
        assert f'<a href="{domain_page.url}" class="button">' in page, slug
        assert response.status_code == 403, slug
        assert REFUSAL in response.content.decode(), slug
        assert _state(case) == before, slug
        tried[slug] = transition.name

    assert set(tried) == set(DOMAIN_OWNED)


def test_demo__the_bulk_action_skips_the_domain_steps(db):
    call_command("seed_demo", verbosity=0)
    case = (
        Case.objects.filed()
        .filter(procedure__slug="demande-subvention", status="committee")
        .order_by("pk")
        .first()
    )
    assert case is not None
    client, manager = _client_for(case, "manager-bulk@example.fr")
    before = _state(case)

    response = client.post(
        "/agents/dossiers/action-groupee/",
        {"case_ids": [case.pk], "name": "grant", "next": "/agents/"},
        follow=True,
    )
    # The form does not offer the step; the service refuses it all the same.
    counts = engine.case_transition_bulk(case_ids=[case.pk], name="grant", by=manager)

    assert "Cochez au moins un dossier et choisissez une action." in response.content.decode()
    assert counts == (0, 1)
    assert _state(case) == before


def test_bulk_choices__leave_out_a_step_no_procedure_offers_generically(city, agent):
    subsidy = factories.procedure_from(city, "associations/procedures/subsidy_application.yaml")
    event = factories.event_declaration_procedure(city)

    choices = dict(bulk_transition_choices([subsidy, event]))

    assert "grant" not in choices
    assert "declare_eligible" not in choices
    assert choices["ask_documents"] == "Demander des pièces"
    assert choices["accept"] == "Autoriser"  # the event declaration's, a plain procedure


def test_civil_status__taking_the_case_stays_generic_issuing_it_does_not(
    agent_client, filed_case, agent
):
    engine.case_transition(case=filed_case, name="take", by=agent)

    content = agent_client.get(f"/agents/dossiers/{filed_case.pk}/").content.decode()

    assert 'name="name" value="ask_documents"' in content
    assert 'name="name" value="accept"' not in content
    assert 'name="name" value="reject"' not in content
    assert "À faire sur cette page : Délivrer l&#x27;acte, Refuser." in content
    assert (
        f'<a href="/agents/etat-civil/{filed_case.pk}/" class="button">'
        "Traitement de la demande d&#x27;acte</a>"
    ) in content


def test_civil_status__a_refusal_without_its_comment_is_refused_as_a_domain_step(
    agent_client, filed_case, agent
):
    """The domain's refusal is checked before the form: no hint at what it would need."""
    engine.case_transition(case=filed_case, name="take", by=agent)
    before = _state(filed_case)

    response = agent_client.post(
        f"/agents/dossiers/{filed_case.pk}/transition/", {"name": "reject", "comment": ""}
    )

    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    assert _state(filed_case) == before


def test_builder_procedure__keeps_the_generic_transitions(city, city_client, resident):
    admin = factories.person(city, "admin@example.fr", is_authority_admin=True)
    manager = factories.agent(city, "jardin@example.fr", role="manager", services=("equipements",))
    procedure = builder.procedure_create(
        authority=city,
        by=admin,
        raw={
            "code": "JARDIN",
            "slug": "jardin-partage",
            "name": "Parcelle de jardin partagé",
            "domain": "facilities",
            "service": "equipements",
        },
    )
    builder.draft_publish(procedure=procedure, by=admin)
    case = engine.case_start(procedure=Procedure.objects.get(pk=procedure.pk), applicant=resident)
    case = engine.case_submit(case=case, by=resident)
    city_client.force_login(manager)

    page = city_client.get(f"/agents/dossiers/{case.pk}/").content.decode()
    response = city_client.post(
        f"/agents/dossiers/{case.pk}/transition/", {"name": "accept", "comment": ""}
    )

    assert '<input type="hidden" name="name" value="accept">' in page
    assert "instruction-du-domaine" not in page
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "accepted"
    assert list(case.transitions.values_list("from_status", "to_status", "actor")) == [
        ("draft", "submitted", resident.pk),
        ("submitted", "accepted", manager.pk),
    ]


def test_demo__the_applicants_generic_page_does_not_file_a_subsidy_report(db):
    """The report is filed with its figures on the associations' pages: the applicant's
    generic case page neither offers the step nor takes it when posted."""
    call_command("seed_demo", verbosity=0)
    granted = Case.objects.filed().filter(procedure__slug="demande-subvention", status="granted")
    case = granted.order_by("pk").first()
    assert case is not None
    client = Client(HTTP_HOST=case.authority.hosts.first().host)
    client.force_login(case.applicant)
    before = _state(case), case.attachments.count()

    page = client.get(f"/dossiers/{case.pk}/").content.decode()
    response = client.post(
        f"/dossiers/{case.pk}/action/file_report/",
        {"comment": "", "documents": factories.pdf_upload("compte-rendu.pdf")},
        follow=True,
    )

    assert f"/dossiers/{case.pk}/action/file_report/" not in page
    assert response.redirect_chain == [(f"/dossiers/{case.pk}/", 302)]
    assert REFUSAL in response.content.decode()
    assert (_state(case), case.attachments.count()) == before
