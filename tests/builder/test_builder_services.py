"""Drafts, publication, diffs, YAML round trips and test runs of the procedure builder."""

import copy
import io

import pytest
import yaml
from django.core import mail
from django.core.management import call_command
from django.http import Http404
from pypdf import PdfReader

from guichet.core.errors import DomainError, ErrorCode
from guichet.engine import builder, selectors, services
from guichet.engine.models import Case, Procedure, ProcedureVersion
from guichet.engine.selectors import procedure_current_version
from guichet.notifications.models import OutgoingEmail
from tests import factories


def _publish_new(city, admin, raw):
    procedure = builder.procedure_create(authority=city, by=admin, raw=raw)
    builder.draft_publish(procedure=procedure, by=admin)
    return procedure


def test_procedure_create__only_a_draft_nobody_sees(city, admin, raw):
    procedure = builder.procedure_create(authority=city, by=admin, raw=raw)

    draft = builder.draft_get(procedure=procedure)
    assert (draft.number, draft.published_at, draft.definition) == (0, None, raw)
    assert procedure_current_version(procedure=procedure) is None
    with pytest.raises(DomainError) as error:
        services.case_start(procedure=procedure, applicant=None)
    assert error.value.code == ErrorCode.NOT_PUBLISHED


def test_draft_publish__first_version_applies_settings(city, admin, raw):
    procedure = builder.procedure_create(authority=city, by=admin, raw=raw)

    version = builder.draft_publish(procedure=procedure, by=admin)

    procedure.refresh_from_db()
    assert (version.number, version.published_at is not None) == (1, True)
    assert set(version.definition) == {"fields", "workflow", "emails", "documents"}
    assert (procedure.name, procedure.retention_days, procedure.code) == (
        "Parcelle de jardin partagé",
        730,
        "JARDIN",
    )
    assert builder.draft_get(procedure=procedure) is None


def test_draft_edit__never_changes_the_published_version_and_cases_keep_theirs(
    city, admin, raw, resident
):
    procedure = _publish_new(city, admin, raw)
    v1 = procedure_current_version(procedure=procedure)
    case = services.case_start(procedure=procedure, applicant=resident)

    def rename(definition):
        definition["name"] = "Jardins familiaux"
        definition["fields"][1]["label"] = "Vos nom et prénom"

    builder.draft_edit(procedure=procedure, by=admin, revision=None, change=rename)
    procedure.refresh_from_db()
    v1.refresh_from_db()
    assert procedure.name == "Parcelle de jardin partagé"
    assert v1.definition["fields"][1]["label"] == "Nom complet"

    v2 = builder.draft_publish(procedure=procedure, by=admin)

    case.refresh_from_db()
    assert (v2.number, case.version_id) == (2, v1.pk)
    assert case.version.parsed.fields[0].label == "Nom complet"
    assert services.case_start(procedure=procedure, applicant=resident).version_id == v2.pk
    procedure.refresh_from_db()
    assert procedure.name == "Jardins familiaux"


def test_draft_save__a_stale_revision_is_refused(city, admin, raw):
    procedure = builder.procedure_create(authority=city, by=admin, raw=raw)
    revision = builder.revision_of(raw)
    changed = copy.deepcopy(raw) | {"name": "Premier envoi"}
    builder.draft_save(procedure=procedure, by=admin, definition=changed, revision=revision)

    with pytest.raises(DomainError) as error:
        builder.draft_save(
            procedure=procedure,
            by=admin,
            definition=changed | {"name": "Second"},
            revision=revision,
        )

    assert error.value.code == ErrorCode.ALREADY_DONE
    assert builder.draft_get(procedure=procedure).definition["name"] == "Premier envoi"


def test_draft_publish__refuses_a_broken_draft_and_reports_every_problem(city, admin, raw):
    raw["workflow"]["statuses"].append({"code": "lost", "label": "Perdu"})
    raw["fields"][4]["show_if"]["field"] = "nothing"
    procedure = builder.procedure_create(authority=city, by=admin, raw=raw)

    with pytest.raises(builder.DefinitionInvalid) as error:
        builder.draft_publish(procedure=procedure, by=admin)

    assert [str(p) for p in error.value.problems] == [
        "fields[4].show_if.field : La condition porte sur un champ absent : nothing.",
        "workflow.statuses[3] : Le statut lost ne peut jamais être atteint.",
    ]
    assert (
        ProcedureVersion.objects.filter(procedure=procedure, published_at__isnull=False).count()
        == 0
    )


def test_draft_publish__twice_publishes_once(city, admin, raw):
    procedure = builder.procedure_create(authority=city, by=admin, raw=raw)
    builder.draft_publish(procedure=procedure, by=admin)

    with pytest.raises(DomainError) as error:
        builder.draft_publish(procedure=procedure, by=admin)

    assert error.value.code == ErrorCode.ALREADY_DONE
    assert list(procedure.versions.values_list("number", flat=True)) == [1]


def test_definition_diff__reads_item_by_item(db, raw):
    new = copy.deepcopy(raw)
    new["name"] = "Jardins familiaux"
    new["fields"][1]["label"] = "Nom et prénom"
    new["fields"].append({"name": "phone", "type": "phone", "label": "Téléphone"})
    del new["workflow"]["transitions"][0]
    new["workflow"]["transitions"].append(
        {"name": "skip", "from": "submitted", "to": "granted", "label": "Attribuer directement"}
    )

    changes = builder.definition_diff(raw, new)

    assert [(c.kind, str(c.what), c.item, c.details) for c in changes] == [
        ("changed", "Réglage", "name", ("Parcelle de jardin partagé → Jardins familiaux",)),
        ("changed", "Champ", "full_name (Nom et prénom)", ("label : Nom complet → Nom et prénom",)),
        ("added", "Champ", "phone (Téléphone)", ()),
        ("added", "Transition", "skip (Attribuer directement)", ()),
        ("removed", "Transition", "examine", ()),
    ]


def test_version_diffs__each_version_against_the_one_before(city, admin, raw):
    procedure = _publish_new(city, admin, raw)
    builder.draft_edit(
        procedure=procedure,
        by=admin,
        revision=None,
        change=lambda d: d["workflow"]["statuses"][1].update(label="À l'étude"),
    )
    builder.draft_publish(procedure=procedure, by=admin)

    rows = builder.version_diffs(procedure=procedure)

    assert [version.number for version, _changes in rows] == [2, 1]
    assert [(c.kind, c.item, c.details) for c in rows[0][1]] == [
        ("changed", "review (À l'étude)", ("label : En examen → À l'étude",))
    ]


def test_yaml_round_trip__export_then_import_gives_the_same_definition(city, admin, raw):
    procedure = _publish_new(city, admin, raw)
    exported = builder.yaml_dump(builder.procedure_export_whole(procedure=procedure))
    other = factories.authority("ville-c")
    factories.service(other, "etat-civil")
    other_admin = factories.person(other, "admin@ville-c.fr", is_authority_admin=True)

    imported = builder.draft_import(authority=other, by=other_admin, text=exported)
    builder.draft_publish(procedure=imported, by=other_admin)

    assert builder.procedure_export_whole(procedure=imported) == yaml.safe_load(exported)
    assert yaml.safe_load(exported) == raw


@pytest.mark.parametrize("path", sorted(factories.PROCEDURES.glob("*/procedures/*.yaml")))
def test_yaml_round_trip__every_shipped_procedure_imports_and_exports_unchanged(city, admin, path):
    raw = yaml.safe_load(path.read_text())
    factories.service(city, raw["service"])

    procedure = builder.draft_import(authority=city, by=admin, text=path.read_text())
    builder.draft_publish(procedure=procedure, by=admin)

    exported = builder.procedure_export_whole(procedure=procedure)
    assert exported == raw
    assert yaml.safe_load(builder.yaml_dump(exported)) == raw


def test_draft_import__reports_every_error_with_its_path_and_writes_nothing(city, admin, raw):
    raw["service"] = "piscine"
    raw["fields"][2]["type"] = "boolean"
    raw["workflow"]["transitions"][1]["roles"] = ["nobody"]

    with pytest.raises(builder.DefinitionInvalid) as error:
        builder.draft_import(authority=city, by=admin, text=yaml.safe_dump(raw))

    assert [str(p) for p in error.value.problems] == [
        "fields[2].type : Type de champ inconnu : boolean.",
        "fields[4].show_if.field : La condition porte sur un champ absent : has_garden.",
        "workflow.transitions[1].roles : Aucun rôle ne peut prendre cette transition.",
        "workflow.statuses[2] : Le statut granted ne peut jamais être atteint.",
        "service : Service inconnu : piscine.",
    ]
    assert not Procedure.objects.filter(authority=city).exists()


def test_draft_import__unreadable_yaml_names_the_line(city, admin):
    with pytest.raises(builder.DefinitionInvalid) as error:
        builder.draft_import(authority=city, by=admin, text="code: A\nfields: [\n  - x: 1\n")

    assert str(error.value.problems[0]).startswith("ligne ")


def test_draft_import__copy_from_the_library_refuses_a_taken_code(city, admin, procedure):
    raw = builder.library_get(key="individuals/civil_status_certificate")

    with pytest.raises(builder.DefinitionInvalid) as error:
        builder.draft_import(
            authority=city, by=admin, text=builder.yaml_dump(raw), create_only=True
        )

    assert [str(p) for p in error.value.problems] == [
        "code : Une autre démarche a déjà ce code.",
        "slug : Une autre démarche a déjà cette adresse.",
    ]


def test_trial__plays_the_draft_without_any_case_or_email(city, admin, raw):
    procedure = builder.procedure_create(authority=city, by=admin, raw=raw)
    run = builder.Trial(data={"full_name": "Léa Durand", "has_garden": True, "garden_size": 12})

    run = builder.trial_submit(procedure=procedure, definition=raw, run=run, by=admin)
    run = builder.trial_transition(
        procedure=procedure, definition=raw, run=run, by=admin, name="examine"
    )
    run = builder.trial_transition(
        procedure=procedure, definition=raw, run=run, by=admin, name="grant"
    )

    assert run.status == "granted"
    assert [step["status"] for step in run.steps] == ["submitted", "review", "granted"]
    assert [e["to"] for e in run.steps[0]["emails"]] == [
        "admin@example.fr",
        "etat-civil@ville-a.fr",
    ]
    assert run.steps[2]["documents"] == ["attribution"]
    granted = run.steps[2]["emails"][0]
    assert granted["subject"].startswith("Parcelle attribuée (")
    assert granted["subject"].endswith("-JARDIN-ESSAI)")
    assert granted["body"].startswith("Bonjour Léa Durand,\nvotre parcelle vous attend.")
    pdf = builder.trial_document(
        procedure=procedure, definition=raw, run=run, by=admin, step=2, document="attribution"
    )
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Ville A attribue une parcelle à Léa Durand." in text
    assert Case.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert mail.outbox == []


def test_trial_submit__refuses_missing_answers_like_a_real_submission(city, admin, raw):
    procedure = builder.procedure_create(authority=city, by=admin, raw=raw)

    with pytest.raises(DomainError) as error:
        builder.trial_submit(
            procedure=procedure,
            definition=raw,
            run=builder.Trial(data={"has_garden": True}),
            by=admin,
        )

    assert error.value.message == (
        "Des informations obligatoires manquent : Nom complet, Surface (m²)."
    )


def test_trial_transition__from_the_wrong_status_is_refused(city, admin, raw):
    procedure = builder.procedure_create(authority=city, by=admin, raw=raw)
    run = builder.Trial(data={}, status="submitted")

    with pytest.raises(DomainError) as error:
        builder.trial_transition(
            procedure=procedure, definition=raw, run=run, by=admin, name="grant"
        )

    assert error.value.code == ErrorCode.INVALID_TRANSITION


def test_published_procedure__its_own_email_and_document_reach_a_real_case(
    city, admin, raw, resident, django_capture_on_commit_callbacks
):
    procedure = _publish_new(city, admin, raw)
    case = services.case_start(procedure=procedure, applicant=resident)
    services.case_answers_save(
        case=case,
        answers={"full_name": "Camille Martin", "has_garden": False},
        uploads={},
        by=resident,
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_submit(case=case, by=resident)
        services.case_transition(case=case, name="examine", by=admin)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_transition(case=case, name="grant", by=admin)

    email = OutgoingEmail.objects.filter(case_id=case.pk).order_by("-pk").first()
    assert email.subject == f"Parcelle attribuée ({case.number})"
    assert email.body.startswith("Bonjour Camille Martin,\nvotre parcelle vous attend.\n")
    document = case.attachments.get(field_name__startswith="attribution:")
    text = PdfReader(document.file.open("rb")).pages[0].extract_text()
    assert "Attribution de parcelle" in text
    assert "Ville A attribue une parcelle à Camille Martin." in text


def test_case_start__refuses_a_channel_the_procedure_does_not_offer(city, admin, raw, resident):
    raw["channels"] = ["counter", "post"]
    procedure = _publish_new(city, admin, raw)

    with pytest.raises(DomainError) as error:
        services.case_start(procedure=procedure, applicant=resident, channel="web")

    assert error.value.message == "Cette démarche n'est pas ouverte par ce canal."
    assert services.case_start(procedure=procedure, applicant=None, channel="counter").channel == (
        "counter"
    )


def test_demo_seed__a_draft_ready_to_test_and_publish(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    for procedure in Procedure.objects.filter(code="JARDIN"):
        assert procedure_current_version(procedure=procedure) is None
        assert builder.definition_problems(builder.draft_get(procedure=procedure).definition) == []
    assert Procedure.objects.filter(code="JARDIN").count() == 2


def test_procedures_online__a_procedure_not_offered_on_the_web_is_not_listed(
    city, admin, raw, procedure
):
    raw["channels"] = ["counter"]
    garden = _publish_new(city, admin, raw)

    assert selectors.procedures_online(authority=city) == [procedure]
    with pytest.raises(Http404):
        selectors.procedure_get_online(authority=city, slug=garden.slug)


def test_published_procedure__its_own_email_to_the_service(city, admin, raw, resident):
    raw["workflow"]["statuses"][0]["on_enter"] = [{"action": "notify_service", "template": "new"}]
    raw["emails"].append(
        {"code": "new", "subject": "Demande {{ numero }}", "body": "{{ full_name }} demande."}
    )
    procedure = _publish_new(city, admin, raw)
    case = services.case_start(procedure=procedure, applicant=resident)
    services.case_answers_save(
        case=case, answers={"full_name": "Jean Petit", "has_garden": False}, uploads={}, by=resident
    )

    case = services.case_submit(case=case, by=resident)

    email = OutgoingEmail.objects.get(case_id=case.pk, to="etat-civil@ville-a.fr")
    assert (email.subject, email.body.splitlines()[0]) == (
        f"Demande {case.number}",
        "Jean Petit demande.",
    )
