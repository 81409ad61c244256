"""The builder's forms edit every shipped field, status and transition without changing it,
and offer every field type of the engine."""

import pytest
import yaml

from guichet.backoffice.builder.forms import (
    FIELD_TYPE_LABELS,
    FieldForm,
    StatusForm,
    TransitionForm,
)
from guichet.engine.definitions import FIELD_TYPES
from tests import factories

SHIPPED = sorted(factories.PROCEDURES.glob("*/procedures/*.yaml"))


def _posted(initial):
    """What the browser sends back for a form drawn with these initial values."""
    data = {}
    for key, value in initial.items():
        if value is None or value is False:
            continue
        data[key] = "on" if value is True else value
    return data


def test_field_form__offers_every_field_type_of_the_engine():
    assert {value for value, _label in FIELD_TYPE_LABELS} == FIELD_TYPES


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_builder_forms__leave_every_shipped_procedure_unchanged(db, path):
    raw = yaml.safe_load(path.read_text())
    names = [(f["name"], f["name"]) for f in raw["fields"] if f.get("name")]
    statuses = [(s["code"], s["code"]) for s in raw["workflow"]["statuses"]]

    for item in raw["fields"]:
        initial = FieldForm.initial_from(item)
        form = FieldForm(data=_posted(initial), initial=initial, others=names)
        assert form.is_valid(), form.errors
        assert form.to_item(item) == item
    for status in raw["workflow"]["statuses"]:
        initial = StatusForm.initial_from(status)
        form = StatusForm(data=_posted(initial), statuses=statuses, emails=[], documents=[])
        assert form.is_valid(), form.errors
        assert form.to_item(status) == status
    for transition in raw["workflow"]["transitions"]:
        form = TransitionForm(
            data=_posted(TransitionForm.initial_from(transition)), statuses=statuses
        )
        assert form.is_valid(), form.errors
        assert form.to_item() == transition


@pytest.mark.parametrize(
    ("posted", "item"),
    [
        (
            {"type": "amount", "name": "budget", "label": "Budget", "min": "0", "max": "1500.5"},
            {"name": "budget", "type": "amount", "label": "Budget", "min": 0, "max": 1500.5},
        ),
        (
            {
                "type": "file",
                "name": "plan",
                "label": "Plan",
                "accept": ["pdf", "png"],
                "max_size_mb": "5",
            },
            {
                "name": "plan",
                "type": "file",
                "label": "Plan",
                "accept": ["pdf", "png"],
                "max_size_mb": 5,
            },
        ),
        (
            {
                "type": "group",
                "name": "people",
                "label": "Personnes",
                "max_rows": "4",
                "sub_fields": "- {name: who, type: text, label: Nom}",
            },
            {
                "name": "people",
                "type": "group",
                "label": "Personnes",
                "fields": [{"name": "who", "type": "text", "label": "Nom"}],
                "max_rows": 4,
            },
        ),
        (
            {
                "type": "email",
                "name": "mail",
                "label": "Courriel",
                "prefill": "email",
                "show_if_field": "kind",
                "show_if_values": "a, b",
            },
            {
                "name": "mail",
                "type": "email",
                "label": "Courriel",
                "show_if": {"field": "kind", "one_of": ["a", "b"]},
                "prefill": "email",
            },
        ),
        ({"type": "help", "text": "Pièces en PDF."}, {"type": "help", "text": "Pièces en PDF."}),
    ],
    ids=["amount", "file", "group", "condition_and_prefill", "help"],
)
def test_field_form__options_of_each_kind(posted, item):
    form = FieldForm(data=posted, others=[("kind", "kind")])

    assert form.is_valid(), form.errors
    assert form.to_item() == item


def test_field_form__keeps_a_domain_s_own_keys_and_prefill(db):
    item = {
        "name": "org",
        "type": "text",
        "label": "Association",
        "prefill": "organisation.name",
        "vault": "statutes",
    }
    initial = FieldForm.initial_from(item)

    form = FieldForm(
        data=_posted(initial) | {"label": "Nom de l'association"}, initial=initial, others=[]
    )

    assert form.is_valid(), form.errors
    assert form.to_item(item) == item | {"label": "Nom de l'association"}
