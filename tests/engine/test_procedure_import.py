import copy

import pytest
import yaml

from guichet.core.errors import DomainError, ErrorCode
from guichet.engine import services
from guichet.engine.models import Procedure, ProcedureVersion
from tests import factories

CIVIL_STATUS = factories.PROCEDURES / "individuals/procedures/civil_status_certificate.yaml"


@pytest.fixture
def raw(city):
    factories.service(city, "etat-civil")
    return yaml.safe_load(CIVIL_STATUS.read_text())


def test_procedure_import__creates_the_procedure_and_publishes_version_1(city, raw):
    version = services.procedure_import(authority=city, raw=raw)

    assert version.number == 1
    assert version.published_at is not None
    procedure = Procedure.objects.get(authority=city)
    assert (procedure.code, procedure.slug, procedure.service.slug) == (
        "ACTE",
        "acte-etat-civil",
        "etat-civil",
    )
    assert version.definition == {"fields": raw["fields"], "workflow": raw["workflow"]}


def test_procedure_import__unchanged_definition_returns_the_same_version(city, raw):
    first = services.procedure_import(authority=city, raw=raw)

    second = services.procedure_import(authority=city, raw=copy.deepcopy(raw))

    assert second.pk == first.pk
    assert ProcedureVersion.objects.filter(procedure=first.procedure).count() == 1


def test_procedure_import__changed_definition_publishes_v2_and_filed_cases_keep_v1(
    city, raw, resident
):
    v1 = services.procedure_import(authority=city, raw=raw)
    case = factories.civil_status_case(v1.procedure, resident)
    v1_definition = copy.deepcopy(v1.definition)
    changed = copy.deepcopy(raw)
    changed["fields"][2]["label"] = "Votre lien de parenté"

    v2 = services.procedure_import(authority=city, raw=changed)

    assert (v2.number, v2.procedure_id) == (2, v1.procedure_id)
    v1.refresh_from_db()
    assert v1.definition == v1_definition
    case.refresh_from_db()
    assert case.version_id == v1.pk
    new_case = services.case_start(procedure=v2.procedure, applicant=resident)
    assert new_case.version_id == v2.pk


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda raw: raw["fields"].append({"name": "x", "type": "hologram"}), "hologram"),
        (
            lambda raw: raw["workflow"]["transitions"].append(
                {"name": "vanish", "from": "submitted", "to": "nowhere"}
            ),
            "workflow.transitions[5].to : Statut inconnu : nowhere.",
        ),
    ],
    ids=["unknown_field_type", "transition_to_unknown_status"],
)
def test_procedure_import__refuses_an_invalid_definition_and_writes_nothing(
    city, raw, mutate, message
):
    mutate(raw)

    with pytest.raises(DomainError) as error:
        services.procedure_import(authority=city, raw=raw)

    assert error.value.code == ErrorCode.INVALID_DATA
    assert message in error.value.message
    assert Procedure.objects.count() == 0
    assert ProcedureVersion.objects.count() == 0


def test_procedure_import__refuses_an_invalid_new_version_and_keeps_the_published_one(city, raw):
    v1 = services.procedure_import(authority=city, raw=raw)
    broken = copy.deepcopy(raw)
    broken["name"] = "Nouveau nom"
    broken["fields"].append({"name": "x", "type": "hologram"})

    with pytest.raises(DomainError):
        services.procedure_import(authority=city, raw=broken)

    assert list(ProcedureVersion.objects.values_list("pk", flat=True)) == [v1.pk]
    assert Procedure.objects.get().name == "Demande d'acte d'état civil"


def test_procedure_export__round_trips_through_import(city, other_city, raw):
    procedure = services.procedure_import(authority=city, raw=raw).procedure

    exported = services.procedure_export(procedure=procedure)

    assert exported == raw
    factories.service(other_city, "etat-civil")
    copied = services.procedure_import(authority=other_city, raw=exported)
    assert copied.number == 1
    assert services.procedure_export(procedure=copied.procedure) == raw
