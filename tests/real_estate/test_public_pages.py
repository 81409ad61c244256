"""Residents' pages: the operation's page, its timeline (drawing and table agree), news."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest

from guichet.notifications.models import OutgoingEmail
from guichet.real_estate import services
from guichet.real_estate.models import Subscription
from tests import factories


def _started(operation):
    programming, esq = operation.phases.all()[:2]
    services.phase_dates_set(
        phase=programming,
        planned_start=programming.planned_start,
        planned_end=programming.planned_end,
        actual_start=datetime.date(2026, 1, 5),
        actual_end=datetime.date(2026, 4, 20),  # 16 days late
    )
    services.phase_dates_set(
        phase=esq,
        planned_start=esq.planned_start,
        planned_end=esq.planned_end,
        actual_start=datetime.date(2026, 4, 21),
        actual_end=None,
    )
    return operation


def _svg_rows(page: str) -> dict[str, tuple[str, str, str, str, str]]:
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    root = ET.fromstring(  # noqa: S314 - our own page
        svg
    )
    rows = {}
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        if "data-phase" in group.attrib:
            a = group.attrib
            rows[a["data-phase"]] = (
                a["data-planned-start"],
                a["data-planned-end"],
                a["data-actual-start"],
                a["data-actual-end"],
                a["data-late"],
            )
    return rows


def _table_rows(page: str) -> dict[str, tuple[str, str, str, str, str]]:
    table = re.search(r'<table class="timeline-table">.*?</table>', page, re.S).group(0)
    rows = {}
    for kind, body in re.findall(r'<tr data-phase="(\w+)">(.*?)</tr>', table, re.S):
        cells = re.findall(r"<td>(.*?)</td>", body, re.S)
        dates = [(re.search(r'datetime="([\d-]+)"', cell) or [None, ""])[1] for cell in cells[:4]]
        rows[kind] = (*dates, "true" if "en retard" in cells[4] else "false")
    return rows


def test_public_page__timeline_svg_and_table_give_the_same_dates(city_client, operation):
    _started(operation)

    page = city_client.get(f"/chantiers/{operation.pk}/").content.decode()

    svg, table = _svg_rows(page), _table_rows(page)
    assert len(svg) == 9
    assert svg == table
    assert svg["programming"] == ("2026-01-05", "2026-04-04", "2026-01-05", "2026-04-20", "true")
    assert svg["esq"][2:4] == ("2026-04-21", "")


def test_public_page__svg_is_labelled_and_each_bar_titled(city_client, operation):
    _started(operation)

    page = city_client.get(f"/chantiers/{operation.pk}/").content.decode()

    svg = ET.fromstring(  # noqa: S314 - our own page
        re.search(r"<svg.*?</svg>", page, re.S).group(0)
    )
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.attrib["role"] == "img"
    assert svg.find(f"{ns}title").attrib["id"] == svg.attrib["aria-labelledby"]
    titles = [t.text for t in svg.iter(f"{ns}title")]
    assert "Programmation — réalisé du 5 janvier 2026 au 20 avril 2026 — en retard" in titles


def test_public_page__shows_what_where_progress_and_notices(city_client, operation):
    _started(operation)
    services.notice_publish(
        operation=operation,
        kind="road_closure",
        title="Rue de l'École fermée",
        body="Livraison de la grue.",
        starts_on=datetime.date(2026, 5, 4),
        ends_on=datetime.date(2026, 5, 6),
        unsubscribe_url="http://x/{token}/",
    )

    page = city_client.get(f"/chantiers/{operation.pk}/").content.decode()
    listing = city_client.get("/chantiers/").content.decode()

    assert "3 rue de l&#x27;École, 45000 Ville A" in page
    assert "1 étapes terminées sur 9 (11 %)" in page
    assert '<strong class="current-phase">Esquisse (ESQ)</strong>' in page
    assert "Rue de l&#x27;École fermée" in page
    assert "du 4 mai 2026 au 6 mai 2026" in page
    assert "Rénovation de l&#x27;école Jules-Ferry" in listing


def test_public_page__an_unpublished_or_foreign_operation_is_404(client, operation, other_city):
    client.defaults["HTTP_HOST"] = "ville-b.localhost"
    foreign = client.get(f"/chantiers/{operation.pk}/")
    operation.is_public = False
    operation.save(update_fields=["is_public"])
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    hidden = client.get(f"/chantiers/{operation.pk}/")

    assert (foreign.status_code, hidden.status_code) == (404, 404)


def test_subscription__confirmed_by_link_then_receives_notices(city_client, operation):
    response = city_client.post(
        f"/chantiers/{operation.pk}/abonnement/", {"email": "Voisin@Example.fr"}
    )
    city_client.post(f"/chantiers/{operation.pk}/abonnement/", {"email": "voisin@example.fr"})
    subscription = Subscription.objects.get()
    confirm = OutgoingEmail.objects.get()
    before_confirm = services.notice_publish(
        operation=operation,
        kind="noise",
        title="Marteau-piqueur",
        body="Le matin.",
        starts_on=datetime.date(2026, 6, 1),
        ends_on=None,
        unsubscribe_url="http://x/{token}/",
    )
    city_client.get(f"/chantiers/abonnement/{subscription.token}/")
    services.notice_publish(
        operation=operation,
        kind="noise",
        title="Sciage",
        body="L'après-midi.",
        starts_on=datetime.date(2026, 6, 2),
        ends_on=None,
        unsubscribe_url="http://ville-a.localhost/chantiers/desabonnement/{token}/",
    )

    assert response.status_code == 302
    assert subscription.email == "voisin@example.fr"
    assert f"http://ville-a.localhost/chantiers/abonnement/{subscription.token}/" in confirm.body
    assert before_confirm.title == "Marteau-piqueur"
    notices = OutgoingEmail.objects.filter(to="voisin@example.fr").exclude(pk=confirm.pk)
    assert [e.subject for e in notices] == ["[Ville A] Rénovation de l'école Jules-Ferry : Sciage"]
    assert f"/chantiers/desabonnement/{subscription.token}/" in notices[0].body


def test_subscription__unsubscribe_asks_then_deletes(city_client, operation):
    subscription = services.subscription_request(
        operation=operation, email="a@example.fr", confirm_url="http://x/{token}/"
    )
    url = f"/chantiers/desabonnement/{subscription.token}/"

    asked = city_client.get(url)
    still = Subscription.objects.count()
    done = city_client.post(url)

    assert (asked.status_code, still, done.status_code) == (200, 1, 302)
    assert Subscription.objects.count() == 0


def test_subscription__bad_address_is_refused_with_the_error(city_client, operation):
    response = city_client.post(f"/chantiers/{operation.pk}/abonnement/", {"email": "pas-un-mail"})

    assert response.status_code == 422
    assert "Le formulaire contient des erreurs" in response.content.decode()
    assert Subscription.objects.count() == 0


@pytest.mark.parametrize("host", ["ville-b.localhost"])
def test_subscription__token_of_another_authority_is_404(client, operation, other_city, host):
    subscription = services.subscription_request(
        operation=operation, email="a@example.fr", confirm_url="http://x/{token}/"
    )
    client.defaults["HTTP_HOST"] = host

    assert client.get(f"/chantiers/abonnement/{subscription.token}/").status_code == 404
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None


def test_public_photo__only_public_ones(city_client, operation):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, "JPEG")
    shown = services.photo_add(
        operation=operation,
        upload=SimpleUploadedFile("a.jpg", buffer.getvalue(), "image/jpeg"),
        caption="La grue",
        taken_on=datetime.date(2026, 5, 1),
        is_public=True,
    )
    hidden = services.photo_add(
        operation=operation,
        upload=SimpleUploadedFile("b.jpg", buffer.getvalue(), "image/jpeg"),
        caption="Le vestiaire",
        taken_on=datetime.date(2026, 5, 1),
        is_public=False,
    )

    page = city_client.get(f"/chantiers/{operation.pk}/").content.decode()

    assert "<figcaption>La grue — 1 mai 2026</figcaption>" in page
    assert "Le vestiaire" not in page
    assert city_client.get(f"/chantiers/{operation.pk}/photos/{shown.pk}/").status_code == 200
    assert city_client.get(f"/chantiers/{operation.pk}/photos/{hidden.pk}/").status_code == 404


def test_public_pages__listed_even_without_phases_started(city_client, city):
    factories.service(city, "patrimoine")

    assert city_client.get("/chantiers/").status_code == 200
