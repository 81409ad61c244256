import threading

import pytest
from django.db import connection

from guichet.individuals import school
from guichet.individuals.models import Enrolment
from guichet.notifications.models import OutgoingEmail
from tests import factories
from tests.individuals.school_factories import household_with_child, leisure_session


def _family(city, number):
    parent = factories.person(city, f"parent{number}@example.fr", last_name=f"Famille{number}")
    return household_with_child(parent)


@pytest.mark.django_db
def test_session_enrol__places_then_waiting_list_and_no_duplicate(city):
    session = leisure_session(city, capacity=2)
    children = [_family(city, n)[1] for n in range(3)]

    first, second, third = (school.session_enrol(child=c, session=session) for c in children)
    again = school.session_enrol(child=children[0], session=session)

    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waiting"]
    assert again == first
    assert Enrolment.objects.count() == 3


@pytest.mark.django_db
def test_enrol_page__enrols_and_says_so(client, city, resident):
    session = leisure_session(city, capacity=1)
    _household, child = household_with_child(resident)
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(resident)

    response = client.post(f"/famille/sessions/{session.pk}/inscrire/", {"child": child.pk})
    client.post(f"/famille/sessions/{session.pk}/inscrire/", {"child": child.pk})

    assert response["Location"] == "/famille/"
    page = client.get("/famille/").content.decode()
    assert "Léa est inscrit(e) à « Vacances de printemps »." in page
    assert "0 places libres sur 1" in page
    assert Enrolment.objects.get().status == "confirmed"


@pytest.mark.django_db
def test_enrol_page__another_family_child_or_authority_session_is_refused(
    client, city, other_city, resident
):
    session = leisure_session(city)
    other_session = leisure_session(other_city)
    _other_household, other_child = _family(city, 9)
    household_with_child(resident)
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(resident)

    foreign_child = client.post(
        f"/famille/sessions/{session.pk}/inscrire/", {"child": other_child.pk}
    )
    foreign_session = client.post(f"/famille/sessions/{other_session.pk}/inscrire/", {"child": 1})

    assert foreign_child.status_code == 422
    assert foreign_session.status_code == 404
    assert Enrolment.objects.count() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_session_enrol__concurrent_families_never_exceed_the_places():
    city = factories.authority("ville-a")
    session = leisure_session(city, capacity=5)
    children = [_family(city, n)[1] for n in range(30)]
    # Each family submits twice at the same second (a double click).
    attempts = children + children[:10]
    barrier = threading.Barrier(len(attempts))
    errors: list[BaseException] = []

    def enrol(child) -> None:
        try:
            barrier.wait()
            school.session_enrol(child=child, session=session)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol, args=(child,)) for child in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = list(Enrolment.objects.values_list("status", flat=True))
    assert statuses.count("confirmed") == 5
    assert statuses.count("waiting") == 25
    assert Enrolment.objects.values("child").distinct().count() == 30
    # One e-mail per family, saying what it got, whatever the double clicks.
    outcomes = {
        f"parent{n}@example.fr": Enrolment.objects.get(child=child).status
        for n, child in enumerate(children)
    }
    emails = sorted(OutgoingEmail.objects.values_list("to", "subject"))
    assert emails == sorted(
        (
            to,
            f"[Ville A] Inscription confirmée : {session.name}"
            if status == "confirmed"
            else f"[Ville A] Liste d'attente : {session.name}",
        )
        for to, status in outcomes.items()
    )


@pytest.mark.django_db
def test_session_enrol__e_mails_the_outcome_once(city):
    session = leisure_session(city, capacity=1)
    (_h1, first), (_h2, second) = _family(city, 1), _family(city, 2)

    school.session_enrol(child=first, session=session)
    school.session_enrol(child=second, session=session)
    school.session_enrol(child=first, session=session)  # a double click

    emails = list(OutgoingEmail.objects.order_by("id").values_list("to", "subject"))
    assert emails == [
        ("parent1@example.fr", f"[Ville A] Inscription confirmée : {session.name}"),
        ("parent2@example.fr", f"[Ville A] Liste d'attente : {session.name}"),
    ]
