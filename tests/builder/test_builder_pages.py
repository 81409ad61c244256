"""The builder's pages, without JavaScript: an administrator only, one authority only."""

import io
import re

import pytest
import yaml
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from guichet.engine import builder
from guichet.engine.models import Case, Procedure
from guichet.engine.selectors import procedure_current_version
from tests import factories


def _detail(procedure):
    return reverse("backoffice:builder_detail", args=[procedure.pk])


def _revision(procedure):
    return builder.revision_of(builder.procedure_export_whole(procedure=procedure))


@pytest.fixture
def draft(city, admin, raw):
    return builder.procedure_create(authority=city, by=admin, raw=raw)


def _urls(procedure):
    pk = procedure.pk
    return [
        reverse("backoffice:builder_detail", args=[pk]),
        reverse("backoffice:builder_settings", args=[pk]),
        reverse("backoffice:builder_field_add", args=[pk]),
        reverse("backoffice:builder_field", args=[pk, 1]),
        reverse("backoffice:builder_status_add", args=[pk]),
        reverse("backoffice:builder_status", args=[pk, 0]),
        reverse("backoffice:builder_transition_add", args=[pk]),
        reverse("backoffice:builder_transition", args=[pk, 0]),
        reverse("backoffice:builder_text_add", args=[pk, "emails"]),
        reverse("backoffice:builder_text", args=[pk, "documents", 0]),
        reverse("backoffice:builder_yaml", args=[pk]),
        reverse("backoffice:builder_export", args=[pk]),
        reverse("backoffice:builder_publish", args=[pk]),
        reverse("backoffice:builder_versions", args=[pk]),
        reverse("backoffice:builder_preview", args=[pk]),
        reverse("backoffice:builder_trial", args=[pk]),
        reverse("backoffice:builder_trial_page", args=[pk, 0]),
    ]


def test_builder__every_page_opens_for_an_administrator(admin_client, draft):
    for url in [reverse("backoffice:builder_procedures"), *_urls(draft)]:
        assert admin_client.get(url).status_code == 200, url


def test_builder__anonymous_goes_to_login_others_get_404(city_client, draft, agent, resident):
    url = _detail(draft)
    assert city_client.get(url).status_code == 302
    for person in (agent, resident):
        city_client.force_login(person)
        assert city_client.get(url).status_code == 404
        assert city_client.get(reverse("backoffice:builder_procedures")).status_code == 404
        response = city_client.post(reverse("backoffice:builder_publish", args=[draft.pk]))
        assert response.status_code == 404
    assert procedure_current_version(procedure=draft) is None


def test_builder__a_procedure_of_another_authority_is_a_404(city_client, other_city, draft):
    factories.service(other_city, "etat-civil")
    foreign_admin = factories.person(other_city, "admin@ville-b.fr", is_authority_admin=True)
    foreign = factories.civil_status_procedure(other_city)
    city_client.force_login(foreign_admin)
    city_client.defaults["HTTP_HOST"] = "ville-b.localhost"
    for url in _urls(draft):
        assert city_client.get(url).status_code == 404, url
    for name, args in [
        ("builder_publish", []),
        ("builder_discard", []),
        ("builder_delete", ["fields", 0]),
        ("builder_move", ["fields", 0]),
        ("builder_trial_step", []),
    ]:
        response = city_client.post(reverse(f"backoffice:{name}", args=[draft.pk, *args]))
        assert response.status_code == 404, name
    assert city_client.get(_detail(foreign)).status_code == 200
    assert procedure_current_version(procedure=draft) is None


def test_create__makes_a_draft_and_shows_its_problems(admin_client, city):
    response = admin_client.post(
        reverse("backoffice:builder_create"),
        {
            "name": "Carte de stationnement résident",
            "code": "STAT",
            "slug": "stationnement",
            "domain": "individuals",
            "audience": "individual",
            "service": "etat-civil",
            "retention_days": "365",
            "channels": ["web", "counter"],
        },
    )

    procedure = Procedure.objects.get(authority=city, code="STAT")
    assert response.status_code == 302
    assert response["Location"] == _detail(procedure)
    draft = builder.draft_get(procedure=procedure)
    assert draft.definition["channels"] == ["web", "counter"]
    assert draft.definition["workflow"]["initial"] == "submitted"
    page = admin_client.get(_detail(procedure)).content.decode()
    assert "Jamais publiée : les usagers ne la voient pas encore." in page


def test_create__a_taken_code_is_an_error_and_nothing_is_made(admin_client, city, procedure):
    response = admin_client.post(
        reverse("backoffice:builder_create"),
        {
            "name": "Autre",
            "code": "ACTE",
            "slug": "autre",
            "domain": "individuals",
            "audience": "individual",
            "service": "etat-civil",
            "retention_days": "365",
            "channels": ["web"],
        },
    )

    assert response.status_code == 422
    assert "Une autre démarche a déjà ce code." in response.content.decode()
    assert Procedure.objects.filter(authority=city).count() == 1


def test_field_add__with_a_condition(admin_client, draft):
    response = admin_client.post(
        reverse("backoffice:builder_field_add", args=[draft.pk]),
        {
            "revision": _revision(draft),
            "type": "choice",
            "name": "plot_kind",
            "label": "Type de parcelle",
            "help": "Selon la place disponible.",
            "required": "on",
            "choices": "small | Petite\nlarge | Grande",
            "show_if_field": "has_garden",
            "show_if_values": "non",
            "prefill": "",
        },
    )

    assert response.status_code == 302
    fields = builder.draft_get(procedure=draft).definition["fields"]
    assert fields[-1] == {
        "name": "plot_kind",
        "type": "choice",
        "label": "Type de parcelle",
        "help": "Selon la place disponible.",
        "required": True,
        "choices": [{"value": "small", "label": "Petite"}, {"value": "large", "label": "Grande"}],
        "show_if": {"field": "has_garden", "equals": False},
    }


def test_field_add__double_submit_adds_one_field(admin_client, draft):
    data = {
        "revision": _revision(draft),
        "type": "page",
        "label": "Annexes",
    }
    url = reverse("backoffice:builder_field_add", args=[draft.pk])

    first = admin_client.post(url, data)
    second = admin_client.post(url, data)

    assert (first.status_code, second.status_code) == (302, 422)
    assert "Le brouillon a changé entre-temps" in second.content.decode()
    fields = builder.draft_get(procedure=draft).definition["fields"]
    assert [f.get("title") for f in fields if f["type"] == "page"] == [
        "Vous",
        "Votre jardin",
        "Annexes",
    ]


def test_field_add__bad_input_is_explained_and_kept(admin_client, draft):
    response = admin_client.post(
        reverse("backoffice:builder_field_add", args=[draft.pk]),
        {"revision": _revision(draft), "type": "choice", "name": "bad name", "label": "Couleur"},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Donnez au moins un choix." in page
    assert 'value="Couleur"' in page


def test_field_move__down_without_javascript_and_by_drag_and_drop_order(admin_client, draft):
    url = reverse("backoffice:builder_move", args=[draft.pk, "fields", 1])
    admin_client.post(url, {"revision": _revision(draft), "direction": "down"})
    names = [f.get("name") for f in builder.draft_get(procedure=draft).definition["fields"]]
    assert names == [None, "has_garden", "full_name", None, "garden_size"]

    admin_client.post(url, {"revision": _revision(draft), "order": "0,2,1,3,4"})

    names = [f.get("name") for f in builder.draft_get(procedure=draft).definition["fields"]]
    assert names == [None, "full_name", "has_garden", None, "garden_size"]


def test_status_and_transition__edited_from_forms(admin_client, draft):
    admin_client.post(
        reverse("backoffice:builder_status_add", args=[draft.pk]),
        {
            "revision": _revision(draft),
            "code": "refused",
            "label": "Refusée",
            "final": "on",
            "outcome": "rejected",
            "notify_applicant": "case_decided",
            "document": "decision",
        },
    )
    admin_client.post(
        reverse("backoffice:builder_status", args=[draft.pk, 1]),
        {
            "revision": _revision(draft),
            "code": "review",
            "label": "En examen",
            "deadline_days": "30",
            "deadline_to": "granted",
            "alert_days_before": "5",
            "silence_accord": "on",
        },
    )
    response = admin_client.post(
        reverse("backoffice:builder_transition_add", args=[draft.pk]),
        {
            "revision": _revision(draft),
            "name": "refuse",
            "label": "Refuser",
            "source": "review",
            "target": "refused",
            "roles": ["manager"],
            "comment_required": "on",
        },
    )

    assert response.status_code == 302
    workflow = builder.draft_get(procedure=draft).definition["workflow"]
    assert workflow["statuses"][1] == {
        "code": "review",
        "label": "En examen",
        "deadline": {"days": 30, "to": "granted", "alert_days_before": 5, "silence_accord": True},
    }
    assert workflow["statuses"][3] == {
        "code": "refused",
        "label": "Refusée",
        "final": True,
        "outcome": "rejected",
        "on_enter": [
            {"action": "generate_pdf", "document": "decision"},
            {"action": "notify_applicant", "template": "case_decided"},
        ],
    }
    assert workflow["transitions"][2] == {
        "name": "refuse",
        "from": "review",
        "to": "refused",
        "label": "Refuser",
        "roles": ["manager"],
        "comment_required": True,
    }
    assert builder.definition_problems(builder.draft_get(procedure=draft).definition) == []


def test_text_edit__an_email_using_a_missing_field_is_flagged_on_the_draft(admin_client, draft):
    admin_client.post(
        reverse("backoffice:builder_text", args=[draft.pk, "emails", 0]),
        {
            "revision": _revision(draft),
            "code": "granted",
            "title": "Parcelle attribuée",
            "body": "Bonjour {{ prenom }}",
        },
    )

    page = admin_client.get(_detail(draft)).content.decode()
    assert "emails[0].body</code> : Le texte utilise un champ absent : prenom." in page


def test_publish__shows_the_diff_then_publishes_and_residents_use_it(
    admin_client, draft, admin, resident, city_client
):
    admin_client.post(reverse("backoffice:builder_publish", args=[draft.pk]))
    admin_client.post(
        reverse("backoffice:builder_settings", args=[draft.pk]),
        {
            "revision": _revision(draft),
            "name": "Jardins familiaux",
            "code": "JARDIN",
            "slug": "jardin-partage",
            "domain": "individuals",
            "audience": "individual",
            "service": "etat-civil",
            "retention_days": "730",
            "channels": ["web", "counter", "phone", "post", "email", "partner"],
        },
    )

    page = admin_client.get(reverse("backoffice:builder_publish", args=[draft.pk])).content.decode()
    assert "Ce qui change depuis la version 1" in page
    assert "Parcelle de jardin partagé → Jardins familiaux" in page
    response = admin_client.post(
        reverse("backoffice:builder_publish", args=[draft.pk]), {"revision": _revision(draft)}
    )

    assert response.status_code == 302
    assert procedure_current_version(procedure=draft).number == 2
    city_client.force_login(resident)
    catalogue = city_client.get(reverse("frontoffice:catalogue")).content.decode()
    assert "Jardins familiaux" in catalogue


def test_publish__a_broken_draft_lists_its_problems_and_stays_a_draft(admin_client, draft, admin):
    builder.draft_edit(
        procedure=draft,
        by=admin,
        revision=None,
        change=lambda d: d["workflow"]["statuses"].append({"code": "lost", "label": "Perdu"}),
    )

    response = admin_client.post(reverse("backoffice:builder_publish", args=[draft.pk]))

    assert response.status_code == 422
    assert "Le statut lost ne peut jamais être atteint." in response.content.decode()
    assert procedure_current_version(procedure=draft) is None


def test_yaml_edit__errors_with_their_paths_and_the_text_kept(admin_client, draft):
    source = yaml.safe_dump(
        builder.procedure_export_whole(procedure=draft) | {"domain": "space"}, allow_unicode=True
    )
    builder_url = reverse("backoffice:builder_yaml", args=[draft.pk])

    response = admin_client.post(builder_url, {"revision": _revision(draft), "source": source})
    assert response.status_code == 302
    page = admin_client.get(_detail(draft)).content.decode()
    assert "<code>domain</code> : Domaine inconnu : space." in page

    response = admin_client.post(builder_url, {"revision": _revision(draft), "source": "a: [b"})
    assert response.status_code == 422
    assert "YAML illisible" in response.content.decode()


def test_export_then_import__the_same_definition(admin_client, draft, city):
    exported = admin_client.get(reverse("backoffice:builder_export", args=[draft.pk]))
    text = exported.content.decode()
    assert exported["Content-Disposition"] == 'attachment; filename="jardin-partage.yaml"'
    changed = text.replace("code: JARDIN", "code: JARDIN2").replace(
        "slug: jardin-partage", "slug: jardin-2"
    )

    response = admin_client.post(reverse("backoffice:builder_import"), {"source": changed})

    copy = Procedure.objects.get(authority=city, code="JARDIN2")
    assert response["Location"] == _detail(copy)
    assert builder.draft_get(procedure=copy).definition == yaml.safe_load(changed)


def test_import__every_error_with_its_path(admin_client, city, raw):
    raw["fields"][1]["type"] = "colour"
    raw["workflow"]["transitions"][0]["roles"] = []

    response = admin_client.post(
        reverse("backoffice:builder_import"), {"source": yaml.safe_dump(raw)}
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "<code>fields[1].type</code> : Type de champ inconnu : colour." in page
    assert (
        "<code>workflow.transitions[0].roles</code> : Aucun rôle ne peut prendre cette transition."
        in page
    )
    assert not Procedure.objects.filter(authority=city).exists()


def test_library_copy__a_shipped_procedure_becomes_a_draft(admin_client, city):
    factories.service(city, "vie-associative")
    response = admin_client.post(
        reverse("backoffice:builder_copy"),
        {"key": "associations/event_declaration", "code": "FETE", "slug": "fete"},
    )

    procedure = Procedure.objects.get(authority=city, code="FETE")
    assert response["Location"] == _detail(procedure)
    assert builder.draft_get(procedure=procedure).definition["name"] == (
        "Déclaration de manifestation publique"
    )


def test_trial__fill_the_form_play_the_workflow_see_the_outputs(admin_client, draft):
    page0 = reverse("backoffice:builder_trial_page", args=[draft.pk, 0])
    response = admin_client.post(page0, {"full_name": "", "has_garden": "yes"})
    assert response.status_code == 422
    admin_client.post(page0, {"full_name": "Léa Durand", "has_garden": "yes"})
    response = admin_client.post(
        reverse("backoffice:builder_trial_page", args=[draft.pk, 1]), {"garden_size": "12"}
    )
    assert response["Location"] == reverse("backoffice:builder_trial", args=[draft.pk])
    step = reverse("backoffice:builder_trial_step", args=[draft.pk])

    admin_client.post(step, {"action": "submit"})
    admin_client.post(step, {"action": "examine"})
    admin_client.post(step, {"action": "grant"})

    page = admin_client.get(reverse("backoffice:builder_trial", args=[draft.pk])).content.decode()
    assert "Statut actuel : <strong>Parcelle attribuée</strong>" in page
    assert "Bonjour Léa Durand," in page
    pdf = admin_client.get(
        reverse("backoffice:builder_trial_document", args=[draft.pk, 2, "attribution"])
    )
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Ville A attribue une parcelle à Léa Durand." in text
    assert Case.objects.count() == 0


def test_builder__every_query_on_procedures_is_scoped_to_the_authority(admin_client, draft):
    """Each query a builder page makes on procedures or versions names the authority, or a
    row already fetched through the builder's access selector (its primary key)."""
    seen: list[str] = []

    def guard(execute, sql, params, many, context):
        table = re.match(r'^\s*(?:SELECT .*? FROM|UPDATE|DELETE FROM)\s+"(\w+)"', sql, re.S)
        if table and table[1] in {"engine_procedure", "engine_procedureversion"}:
            where = sql.partition(" WHERE ")[2]
            if not any(m in where for m in ("authority_id", f'"{table[1]}"."id"')):
                seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(guard):
        for url in [reverse("backoffice:builder_procedures"), *_urls(draft)]:
            admin_client.get(url)
        admin_client.post(reverse("backoffice:builder_trial_step", args=[draft.pk]), {})
        admin_client.post(reverse("backoffice:builder_publish", args=[draft.pk]))

    assert procedure_current_version(procedure=draft).number == 1
    assert seen == []
