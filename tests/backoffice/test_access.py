import pytest

from guichet.engine.models import Case, CaseTransition, InternalNote, Message

PAGES = [
    "/agents/",
    "/agents/dossiers/{id}/",
    "/agents/dossiers/{id}/corriger/",
    "/agents/dossiers/{id}/dossier.zip",
    "/agents/accueil/",
    "/agents/accueil/acte-etat-civil/",
]


@pytest.mark.parametrize("url", PAGES)
def test_backoffice__anonymous_is_sent_to_login(city_client, filed_case, url):
    url = url.format(id=filed_case.pk)

    response = city_client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/connexion/?next={url}"


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["resident", "foreign_agent"])
def test_backoffice__non_agents_get_404(city_client, filed_case, request, who, url):
    city_client.force_login(request.getfixturevalue(who))

    response = city_client.get(url.format(id=filed_case.pk))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/agents/dossiers/{id}/",
        "/agents/dossiers/{id}/corriger/",
        "/agents/dossiers/{id}/dossier.zip",
        "/agents/accueil/acte-etat-civil/",
    ],
)
def test_backoffice__agent_of_another_service_gets_404(city_client, filed_case, roads_agent, url):
    city_client.force_login(roads_agent)

    response = city_client.get(url.format(id=filed_case.pk))

    assert response.status_code == 404


def test_queue__agent_of_another_service_does_not_see_the_case(
    city_client, filed_case, roads_agent
):
    city_client.force_login(roads_agent)

    response = city_client.get("/agents/?queue=all")

    assert response.status_code == 200
    assert filed_case.number not in response.content.decode()


ACTIONS = [
    ("transition", {"name": "take"}),
    ("message", {"body": "Bonjour", "send": "1"}),
    ("note", {"body": "À vérifier"}),
    ("attribuer", {"agent": ""}),
    ("corriger", {"last_name": "Autre", "reason": "Coquille"}),
]


def _state(case):
    case = Case.objects.get(pk=case.pk)
    return (
        case.status,
        case.assigned_to_id,
        case.data,
        CaseTransition.objects.count(),
        Message.objects.count(),
        InternalNote.objects.count(),
    )


@pytest.mark.parametrize(("action", "data"), ACTIONS)
@pytest.mark.parametrize("who", [None, "resident", "roads_agent", "foreign_agent"])
def test_case_actions__denied_and_nothing_changed(
    city_client, filed_case, agent, request, who, action, data
):
    Case.objects.filter(pk=filed_case.pk).update(assigned_to=agent)
    before = _state(filed_case)
    if who:
        city_client.force_login(request.getfixturevalue(who))

    response = city_client.post(f"/agents/dossiers/{filed_case.pk}/{action}/", data)

    assert response.status_code == (302 if who is None else 404)
    if who is None:
        assert response["Location"].startswith("/connexion/?next=")
    assert _state(filed_case) == before


@pytest.mark.parametrize("who", ["resident", "roads_agent", "foreign_agent"])
def test_bulk__denied_and_nothing_changed(city_client, filed_case, request, who):
    city_client.force_login(request.getfixturevalue(who))

    response = city_client.post(
        "/agents/dossiers/action-groupee/", {"case_ids": [filed_case.pk], "name": "take"}
    )

    filed_case.refresh_from_db()
    if who == "roads_agent":
        # An agent reaches the page, but a case outside their services is skipped.
        assert response.status_code == 302
    else:
        assert response.status_code == 404
    assert filed_case.status == "submitted"
    assert CaseTransition.objects.count() == 1


def test_attachment__agent_of_another_service_gets_404(city_client, filed_case, roads_agent):
    attachment = filed_case.attachments.get()
    city_client.force_login(roads_agent)

    response = city_client.get(f"/agents/dossiers/{filed_case.pk}/documents/{attachment.pk}/")

    assert response.status_code == 404
