"""Validation of a definition before publishing: each kind of break, reported with its path."""

import pytest
import yaml

from guichet.engine.builder import Problem, definition_problems, library
from tests import factories


def _problems(raw):
    return [(p.path, p.message) for p in definition_problems(raw, whole=True)]


def test_definition_problems__a_sound_definition_has_none(db, raw):
    assert definition_problems(raw, whole=True) == []


@pytest.mark.parametrize("path", sorted(factories.PROCEDURES.glob("*/procedures/*.yaml")))
def test_definition_problems__every_shipped_procedure_passes(db, path):
    assert definition_problems(yaml.safe_load(path.read_text()), whole=True) == []


def test_library__lists_every_shipped_procedure(db):
    keys = {item["key"] for item in library()}

    assert keys == {
        f"{path.parent.parent.name}/{path.stem}"
        for path in factories.PROCEDURES.glob("*/procedures/*.yaml")
    }


def test_definition_problems__unreachable_status(db, raw):
    raw["workflow"]["statuses"].append({"code": "lost", "label": "Perdu"})

    assert _problems(raw) == [
        ("workflow.statuses[3]", "Le statut lost ne peut jamais être atteint.")
    ]


def test_definition_problems__a_status_reached_only_by_a_deadline_is_reachable(db, raw):
    raw["workflow"]["statuses"].append({"code": "expired", "label": "Expirée", "final": True})
    raw["workflow"]["statuses"][1]["deadline"] = {"days": 30, "to": "expired"}

    assert _problems(raw) == []


def test_definition_problems__transition_no_role_may_take(db, raw):
    raw["workflow"]["transitions"][0]["roles"] = ["mayor"]
    raw["workflow"]["transitions"][1]["roles"] = []

    assert _problems(raw) == [
        ("workflow.transitions[0].roles", "Aucun rôle ne peut prendre cette transition."),
        ("workflow.transitions[1].roles", "Aucun rôle ne peut prendre cette transition."),
        # nobody can move the case on, so the later statuses cannot be reached either
        ("workflow.statuses[1]", "Le statut review ne peut jamais être atteint."),
        ("workflow.statuses[2]", "Le statut granted ne peut jamais être atteint."),
    ]


def test_definition_problems__unknown_role_beside_a_known_one(db, raw):
    raw["workflow"]["transitions"][0]["roles"] = ["agent", "mayor"]

    assert _problems(raw) == [("workflow.transitions[0].roles[1]", "Rôle inconnu : mayor.")]


def test_definition_problems__condition_on_a_missing_field(db, raw):
    raw["fields"][4]["show_if"] = {"field": "has_pool", "equals": True}

    assert _problems(raw) == [
        ("fields[4].show_if.field", "La condition porte sur un champ absent : has_pool.")
    ]


def test_definition_problems__condition_on_a_value_that_is_not_a_choice(db, raw):
    raw["fields"][2] = {
        "name": "has_garden",
        "type": "choice",
        "label": "Jardin",
        "choices": ["yes", "no"],
    }
    raw["fields"][4]["show_if"] = {"field": "has_garden", "one_of": ["yes", "maybe"]}

    assert _problems(raw) == [
        ("fields[4].show_if", "La valeur maybe n'est pas un choix de has_garden.")
    ]


def test_definition_problems__templates_referring_to_missing_fields(db, raw):
    raw["emails"][0]["body"] = "Bonjour {{ first_name }}, {{ numero }}"
    raw["documents"][0]["title"] = "Parcelle {{ plot }}"

    assert _problems(raw) == [
        ("emails[0].body", "Le texte utilise un champ absent : first_name."),
        ("documents[0].title", "Le texte utilise un champ absent : plot."),
    ]


def test_definition_problems__actions_naming_missing_templates(db, raw):
    raw["workflow"]["statuses"][2]["on_enter"] = [
        {"action": "generate_pdf", "document": "certificate"},
        {"action": "notify_applicant", "template": "hello"},
        {"action": "launch_rocket"},
    ]

    assert _problems(raw) == [
        (
            "workflow.statuses[2].on_enter[0].document",
            "Modèle de document absent : certificate.",
        ),
        ("workflow.statuses[2].on_enter[1].template", "Modèle de courriel absent : hello."),
        ("workflow.statuses[2].on_enter[2]", "Action inconnue : {'action': 'launch_rocket'}."),
    ]


def test_definition_problems__fields(db, raw):
    raw["fields"] += [
        {"name": "full_name", "type": "text", "label": "Encore"},
        {"name": "colour", "type": "choice", "label": "Couleur"},
        {"name": "weird", "type": "hologram", "label": "?"},
        {"name": "size", "type": "number", "label": "Taille", "min": 10, "max": 2},
        {"name": "rows", "type": "group", "label": "Lignes", "fields": [{"type": "page"}]},
        {"name": "bad name", "type": "text"},
        {"type": "help"},
    ]

    assert _problems(raw) == [
        ("fields[5].name", "Le nom full_name est déjà pris."),
        ("fields[6].choices", "Au moins un choix."),
        ("fields[7].type", "Type de champ inconnu : hologram."),
        ("fields[8].max", "Le maximum est plus petit que le minimum."),
        ("fields[9].fields[0].type", "Pas de page dans un groupe."),
        ("fields[10].name", "Un nom fait de lettres sans accent, chiffres et _ est obligatoire."),
        ("fields[10].label", "Le libellé est obligatoire."),
        ("fields[11].text", "Le texte d'aide est vide."),
    ]


def test_definition_problems__workflow_references(db, raw):
    workflow = raw["workflow"]
    workflow["initial"] = "nowhere"
    workflow["transitions"][0]["to"] = "limbo"
    workflow["statuses"][0]["deadline"] = {"days": 10, "to": "void", "alert_days_before": 12}

    assert _problems(raw) == [
        (
            "workflow.statuses[0].deadline.alert_days_before",
            "L'alerte doit venir avant l'échéance.",
        ),
        ("workflow.statuses[0].deadline.to", "Statut inconnu : void."),
        ("workflow.initial", "Statut initial inconnu : nowhere."),
        ("workflow.transitions[0].to", "Statut inconnu : limbo."),
    ]


def test_definition_problems__settings(db, raw):
    raw |= {"code": "jardin", "slug": "Jardin Partagé", "domain": "garden", "channels": ["fax"]}
    raw["retention_days"] = 0

    assert _problems(raw) == [
        ("code", "1 à 12 lettres majuscules ou chiffres."),
        ("slug", "Lettres minuscules, chiffres et tirets seulement."),
        ("domain", "Domaine inconnu : garden."),
        ("retention_days", "Un nombre de jours, au moins 1."),
        ("channels[0]", "Canal inconnu : fax."),
    ]


def test_problem__reads_with_its_path():
    assert str(Problem("fields[2].name", "Le nom est pris.")) == "fields[2].name : Le nom est pris."


def test_definition_problems__prefill_is_a_profile_key_or_a_dotted_source(db, raw):
    raw["fields"][1]["prefill"] = "organisation.name"
    raw["fields"][2]["prefill"] = "Le nom !"

    assert _problems(raw) == [("fields[2].prefill", "Préremplissage inconnu : Le nom !.")]
