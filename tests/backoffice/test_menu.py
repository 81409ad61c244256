"""The agents' menu: grouped, each group and link only where the agent has rights, the
current page marked; plain nested lists in the labelled navigation (no JavaScript)."""

import re

from guichet.privacy.models import DataProtectionOfficer
from tests import factories
from tests.facilities.conftest import make_gym


def _nav(content: str) -> str:
    return content[content.index('<nav aria-label="Menu principal">') : content.index("</nav>")]


def _marked(content: str) -> list[tuple[str, str]]:
    """The menu's links marked as the current page or section."""
    return re.findall(r'<a href="([^"]+)" aria-current="(\w+)">', _nav(content))


def _menu(content: str) -> dict[str, list[str]]:
    """The menu's groups (by key) and their links' labels, read from the page."""
    nav = _nav(content)
    groups = {}
    for key, body in re.findall(
        r'<span class="nav-group-label" id="menu-(\w+)">[^<]*</span>\s*<ul[^>]*>(.*?)</ul>',
        nav,
        flags=re.S,
    ):
        groups[key] = re.findall(r"<a [^>]*>([^<]+)</a>", body)
    return groups


def test_menu__a_civil_status_agent_sees_only_the_groups_of_their_services(agent_client):
    content = agent_client.get("/agents/").content.decode()

    assert _menu(content) == {
        "dossiers": ["Dossiers", "Accueil et saisie"],
        "individuals": ["État civil"],
        "real_estate": ["Travaux demandés"],
    }


def test_menu__a_subsidy_agent_sees_the_associations_group(city, city_client):
    factories.procedure_from(city, "associations/procedures/subsidy_application.yaml")
    agent = factories.agent(city, "subventions@example.fr", services=("vie-associative",))
    city_client.force_login(agent)

    content = city_client.get("/agents/").content.decode()

    assert _menu(content)["associations"] == [
        "Appels à projets",
        "Avis des services",
        "Commissions",
    ]
    assert "individuals" not in _menu(content)


def test_menu__a_facilities_agent_finds_the_loans_with_the_registry(city, city_client):
    factories.procedure_from(city, "facilities/procedures/room_booking.yaml")
    agent = factories.agent(city, "equipements@example.fr", services=("equipements",))
    city_client.force_login(agent)

    content = city_client.get("/agents/").content.decode()

    assert _menu(content)["facilities"] == ["Équipements", "Saisons", "Prêts de matériel"]
    assert "associations" not in _menu(content)


def test_menu__an_agent_without_rights_to_a_domain_does_not_see_it(
    city, city_client, agent_client, procedure
):
    """The roads agent handles street reports; the civil-status agent does not."""
    factories.procedure_from(city, "public_space/procedures/street_report.yaml")
    roads = factories.agent(city, "voirie@example.fr", services=("voirie",))

    civil_status = _menu(agent_client.get("/agents/").content.decode())
    city_client.force_login(roads)
    roads_menu = _menu(city_client.get("/agents/").content.decode())

    assert "public_space" not in civil_status
    assert roads_menu["public_space"] == ["Signalements", "Interventions"]
    assert "individuals" not in roads_menu
    assert "pilotage" not in roads_menu
    assert "administration" not in roads_menu


def test_menu__an_administrator_sees_steering_and_administration(city, city_client, procedure):
    admin = factories.person(city, "admin@example.fr", is_authority_admin=True)
    city_client.force_login(admin)

    menu = _menu(city_client.get("/agents/").content.decode())

    assert menu["pilotage"] == ["Baromètre", "Autoévaluation"]
    assert menu["administration"] == [
        "Démarches",
        "Catégories de signalement",
        "Clés Open311",
        "RGPD",
    ]
    assert menu["individuals"] == ["État civil", "Régie", "Foyers et quotients"]


def test_menu__a_data_protection_officer_gets_the_privacy_pages_only(city, agent, agent_client):
    DataProtectionOfficer.objects.create(authority=city, user=agent)

    menu = _menu(agent_client.get("/agents/").content.decode())

    assert menu["administration"] == ["RGPD"]
    assert "pilotage" not in menu


def test_menu__the_current_page_is_marked_and_its_section_on_pages_below(agent_client, filed_case):
    queue = agent_client.get("/agents/?queue=all").content.decode()
    intake = agent_client.get("/agents/accueil/").content.decode()
    case = agent_client.get(f"/agents/dossiers/{filed_case.pk}/").content.decode()

    assert _marked(queue) == [("/agents/", "page")]
    assert _marked(intake) == [("/agents/accueil/", "page")]
    assert _marked(case) == [("/agents/", "true")]
    assert '<li class="nav-group is-current" data-menu-group>' in case


def test_menu__a_domain_page_marks_its_link(agent_client):
    content = agent_client.get("/agents/etat-civil/").content.decode()

    assert _marked(content) == [("/agents/etat-civil/", "page")]


def test_menu__the_disclosure_is_an_external_script(agent_client):
    content = agent_client.get("/agents/").content.decode()

    assert '<script src="/static/backoffice/menu.js" defer></script>' in content
    assert "<script>" not in content


def test_menu__a_service_managing_a_facility_without_a_procedure_sees_the_facilities(
    city, city_client
):
    make_gym(city)  # managed by the "equipements" service; no facilities procedure exists
    city_client.force_login(factories.agent(city, "gym@example.fr", services=("equipements",)))
    managing = _menu(city_client.get("/agents/").content.decode())
    city_client.force_login(factories.agent(city, "voirie@example.fr", services=("voirie",)))
    other = _menu(city_client.get("/agents/").content.decode())

    assert managing["facilities"] == ["Équipements", "Saisons", "Prêts de matériel"]
    assert "facilities" not in other
