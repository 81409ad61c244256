"""A photo's EXIF location (and device) is gone from every copy served: the public page,
the agents' pages, the work order, the public history, Open311's media_url, the e-mail."""

import io

from django.core import mail
from django.urls import reverse
from PIL import Image

from guichet.interventions import services as interventions
from guichet.public_space import services
from tests.public_space.conftest import HERE, photo_upload


def _no_metadata(content: bytes) -> None:
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(0x8825) == {}
    assert b"PhoneMaker" not in content
    assert b"GPS" not in content


def _body(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_every_served_copy_of_a_photo_is_without_exif(
    city_client, pothole, road_agent, django_capture_on_commit_callbacks
):
    report = services.report_file(
        category=pothole,
        description="Trou",
        latitude=HERE[0],
        longitude=HERE[1],
        answers={"surface": "chaussee"},
        contact_email="alice@example.fr",
        photos=[photo_upload()],
    )
    photo = report.photos.get()
    services.report_photo_publish(photo=photo, by=road_agent)
    with django_capture_on_commit_callbacks(execute=True):
        order = services.reports_work_order_create(
            reports=[report], by=road_agent, before_photo=photo_upload()
        )
        interventions.work_order_close(work_order=order, by=road_agent, photo=photo_upload())
    update = report.updates.exclude(photo="").get()
    before, after = order.photos.all()

    copies = [
        _body(
            city_client.get(
                reverse("frontoffice:public_space_photo", args=[report.number, photo.pk])
            )
        ),
        _body(
            city_client.get(
                reverse("frontoffice:public_space_update_photo", args=[report.number, update.pk])
            )
        ),
    ]
    media_url = city_client.get("/open311/v2/requests.json").json()[0]["media_url"]
    copies.append(_body(city_client.get(media_url.removeprefix("http://ville-a.localhost"))))
    city_client.force_login(road_agent)
    copies.append(
        _body(city_client.get(reverse("backoffice:public_space_photo", args=[report.pk, photo.pk])))
    )
    for made in (before, after):
        copies.append(
            _body(
                city_client.get(reverse("backoffice:interventions_photo", args=[order.pk, made.pk]))
            )
        )
    copies += [m.attachments[0][1] for m in mail.outbox if m.attachments]

    assert len(copies) == 7
    for content in copies:
        _no_metadata(content)
