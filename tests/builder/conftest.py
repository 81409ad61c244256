import copy

import pytest

from tests import factories

TWO_PAGES = {
    "code": "JARDIN",
    "slug": "jardin-partage",
    "name": "Parcelle de jardin partagé",
    "description": "Demander une parcelle.",
    "domain": "individuals",
    "audience": "individual",
    "service": "etat-civil",
    "retention_days": 730,
    "fields": [
        {"type": "page", "title": "Vous"},
        {"name": "full_name", "type": "text", "label": "Nom complet", "required": True},
        {
            "name": "has_garden",
            "type": "yes_no",
            "label": "Avez-vous déjà un jardin ?",
            "required": True,
        },
        {"type": "page", "title": "Votre jardin"},
        {
            "name": "garden_size",
            "type": "number",
            "label": "Surface (m²)",
            "required": True,
            "show_if": {"field": "has_garden", "equals": True},
        },
    ],
    "workflow": {
        "initial": "submitted",
        "statuses": [
            {"code": "submitted", "label": "Reçue", "on_enter": [{"action": "notify_service"}]},
            {"code": "review", "label": "En examen"},
            {
                "code": "granted",
                "label": "Parcelle attribuée",
                "final": True,
                "outcome": "accepted",
                "on_enter": [
                    {"action": "generate_pdf", "document": "attribution"},
                    {"action": "notify_applicant", "template": "granted"},
                ],
            },
        ],
        "transitions": [
            {
                "name": "examine",
                "from": "submitted",
                "to": "review",
                "label": "Examiner",
                "roles": ["agent"],
            },
            {
                "name": "grant",
                "from": "review",
                "to": "granted",
                "label": "Attribuer",
                "roles": ["manager", "agent"],
            },
        ],
    },
    "emails": [
        {
            "code": "granted",
            "subject": "Parcelle attribuée ({{ numero }})",
            "body": "Bonjour {{ full_name }},\nvotre parcelle vous attend.",
        }
    ],
    "documents": [
        {
            "code": "attribution",
            "title": "Attribution de parcelle",
            "body": "{{ collectivite }} attribue une parcelle à {{ full_name }}.",
        }
    ],
}


@pytest.fixture
def raw():
    return copy.deepcopy(TWO_PAGES)


@pytest.fixture
def admin(city):
    factories.service(city, "etat-civil")
    return factories.person(
        city, "admin@example.fr", is_authority_admin=True, first_name="Alice", last_name="Admin"
    )


@pytest.fixture
def admin_client(city_client, admin):
    city_client.force_login(admin)
    return city_client
