"""Street reports for the demo: categories, open and closed reports, work orders, an
Open311 key (`demo-open311-key`)."""

import datetime
import hashlib
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from guichet.accounts.models import Membership, Service, User
from guichet.interventions import services as interventions
from guichet.public_space import services
from guichet.public_space.demo import CATEGORIES, SERVICES
from guichet.public_space.models import Category, Report
from guichet.security.models import ApiKey
from guichet.tenants.models import Authority

DEMO_KEY_PREFIX = "demo-open311"
DEMO_KEY_SECRET = "key"  # noqa: S105 - the demo's published key: demo-open311-key
BASE = (Decimal("47.902964"), Decimal("1.909251"))


def _photo(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    image = Image.new("RGB", (320, 240), colour)
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), "image/jpeg")


def _categories(authority: Authority, people: dict[str, Any]) -> dict[str, Category]:
    domain = authority.contact_email.split("@")[-1] or f"{authority.slug}.fr"
    for slug, name in SERVICES:
        service, _ = Service.objects.get_or_create(
            authority=authority, slug=slug, defaults={"name": name, "email": f"{slug}@{domain}"}
        )
        field_agent = people.get("voirie")
        if field_agent is not None:
            Membership.objects.get_or_create(
                authority=authority, user=field_agent, service=service, defaults={"role": "agent"}
            )
    made = {}
    for position, (code, name, description, group, service, keywords, questions) in enumerate(
        CATEGORIES
    ):
        made[code], _ = Category.objects.get_or_create(
            authority=authority,
            code=code,
            defaults={
                "name": name,
                "description": description,
                "group": group,
                "keywords": keywords,
                "service": Service.objects.get(authority=authority, slug=service),
                "questions": questions,
                "position": position,
            },
        )
    return made


def _api_key(authority: Authority) -> None:
    ApiKey.objects.get_or_create(
        prefix=DEMO_KEY_PREFIX,
        defaults={
            "authority": authority,
            "name": "Démo Open311 (FixMyStreet)",
            "scopes": ["open311"],
            "key_hash": hashlib.sha256(DEMO_KEY_SECRET.encode()).hexdigest(),
        },
    )


def _at(dlat: str, dlon: str) -> dict[str, Decimal]:
    return {"latitude": BASE[0] + Decimal(dlat), "longitude": BASE[1] + Decimal(dlon)}


@transaction.atomic
def seed(authority: Authority, people: dict[str, Any]) -> None:
    categories = _categories(authority, people)
    if authority.slug != "ville-demo":
        return
    _api_key(authority)
    if Report.objects.filter(authority=authority).exists():
        return
    resident: User = people["camille"]
    other: User = people["jean"]
    field_agent: User = people["voirie"]
    file = services.report_file
    pothole = file(
        category=categories["nid-de-poule"],
        description="Nid-de-poule d'environ 30 cm, dangereux pour les vélos.",
        address="18 avenue de la République",
        answers={"surface": "chaussee", "danger": "oui"},
        photos=[_photo((90, 90, 90))],
        reporter=resident,
        **_at("0", "0"),
    )
    services.report_photo_publish(photo=pothole.photos.first(), by=field_agent)
    services.report_follow(report=pothole, email=other.email, user=other)
    light = file(
        category=categories["eclairage"],
        description="Le lampadaire clignote toute la nuit.",
        address="Rue des Lilas, devant l'école",
        answers={"numero_candelabre": "EP-0412"},
        **_at("0.0021", "-0.0013"),
    )
    services.report_accept(report=light, by=field_agent)
    lighting_order = services.reports_work_order_create(
        reports=[light],
        by=field_agent,
        team="Équipe éclairage",
        assignee=field_agent,
        priority="normal",
        planned_date=timezone.localdate(),
        materials="Nacelle, lampe LED 40 W",
    )
    interventions.work_order_start(work_order=lighting_order, by=field_agent)
    file(
        category=categories["depot-sauvage"],
        description="Un canapé et des sacs abandonnés près des conteneurs.",
        address="Place du Marché",
        answers={"nature": ["encombrants", "sacs"]},
        contact_email=other.email,
        **_at("-0.0030", "0.0024"),
    )
    dumping = file(
        category=categories["depot-sauvage"],
        description="Gravats déposés au bord du chemin.",
        address="Chemin des Vignes",
        answers={"nature": ["gravats"]},
        reporter=other,
        **_at("0.0045", "0.0031"),
    )
    order = services.reports_work_order_create(
        reports=[dumping],
        by=field_agent,
        team="Propreté",
        priority="high",
        planned_date=timezone.localdate() - datetime.timedelta(days=2),
        materials="Camion benne",
    )
    interventions.work_order_close(
        work_order=order, by=field_agent, comment="Gravats enlevés.", photo=_photo((40, 140, 60))
    )
    tag = file(
        category=categories["tag"],
        description="Tag sur le mur de la gare.",
        address="Gare SNCF, parvis",
        **_at("-0.0052", "-0.0040"),
    )
    services.report_reject(
        report=tag,
        by=field_agent,
        competent_body="SNCF Gares & Connexions",
        message="Le mur appartient à la SNCF, à qui nous avons transmis votre signalement.",
    )
