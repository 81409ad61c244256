"""The procedure builder's share of the demo: a procedure drafted by the administrator,
not yet published, to test-run and publish from `/agents/demarches/`."""

from typing import Any

from guichet.accounts.models import Service
from guichet.engine import builder
from guichet.engine.models import Procedure
from guichet.tenants.models import Authority

GARDEN = {
    "code": "JARDIN",
    "slug": "jardin-partage",
    "name": "Parcelle de jardin partagé",
    "description": "Demander une parcelle dans l'un des jardins partagés de la commune.",
    "domain": "facilities",
    "audience": "individual",
    "service": "equipements",
    "retention_days": 730,
    "channels": ["web", "counter"],
    "fields": [
        {"type": "page", "title": "Vous"},
        {
            "name": "full_name",
            "type": "text",
            "label": "Nom complet",
            "required": True,
            "prefill": "last_name",
        },
        {
            "name": "email",
            "type": "email",
            "label": "Courriel",
            "required": True,
            "prefill": "email",
        },
        {
            "name": "has_garden",
            "type": "yes_no",
            "label": "Avez-vous déjà un jardin ?",
            "required": True,
        },
        {"type": "page", "title": "Votre parcelle"},
        {"type": "help", "text": "Les parcelles font 10 ou 20 m² ; l'eau est fournie."},
        {
            "name": "plot_size",
            "type": "choice",
            "label": "Taille souhaitée",
            "required": True,
            "choices": [{"value": "10", "label": "10 m²"}, {"value": "20", "label": "20 m²"}],
        },
        {
            "name": "garden_size",
            "type": "number",
            "label": "Surface de votre jardin (m²)",
            "min": 1,
            "show_if": {"field": "has_garden", "equals": True},
        },
    ],
    "workflow": {
        "initial": "submitted",
        "statuses": [
            {
                "code": "submitted",
                "label": "Demande reçue",
                "on_enter": [{"action": "notify_service"}],
                "deadline": {"days": 30, "alert_days_before": 5},
            },
            {
                "code": "waiting_list",
                "label": "Sur liste d'attente",
                "on_enter": [{"action": "notify_applicant", "template": "case_status_changed"}],
            },
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
            {
                "code": "refused",
                "label": "Demande refusée",
                "final": True,
                "outcome": "rejected",
                "on_enter": [{"action": "notify_applicant", "template": "case_decided"}],
            },
        ],
        "transitions": [
            {
                "name": "wait",
                "from": "submitted",
                "to": "waiting_list",
                "label": "Mettre sur liste d'attente",
                "roles": ["agent", "manager"],
            },
            {
                "name": "grant",
                "from": "submitted",
                "to": "granted",
                "label": "Attribuer",
                "roles": ["agent", "manager"],
            },
            {
                "name": "grant_later",
                "from": "waiting_list",
                "to": "granted",
                "label": "Attribuer",
                "roles": ["agent", "manager"],
            },
            {
                "name": "refuse",
                "from": "submitted",
                "to": "refused",
                "label": "Refuser",
                "roles": ["manager"],
                "comment_required": True,
            },
        ],
    },
    "emails": [
        {
            "code": "granted",
            "subject": "Votre parcelle de jardin ({{ numero }})",
            "body": "Bonjour {{ full_name }},\n\nune parcelle de {{ plot_size }} m² vous est "
            "attribuée. Le document d'attribution est dans votre espace.\n\n"
            "{{ collectivite }}",
        },
    ],
    "documents": [
        {
            "code": "attribution",
            "title": "Attribution d'une parcelle de jardin partagé",
            "body": "{{ collectivite }} attribue à {{ demandeur }} une parcelle de "
            "{{ plot_size }} m² (dossier {{ numero }}).\n\nLa parcelle est prêtée pour "
            "un an, renouvelable.",
        },
    ],
}


def seed(authority: Authority, people: dict[str, Any]) -> None:
    if Procedure.objects.filter(authority=authority, code=GARDEN["code"]).exists():
        return
    if not Service.objects.filter(authority=authority, slug=GARDEN["service"]).exists():
        return
    builder.procedure_create(authority=authority, by=people["admin"], raw=dict(GARDEN))
