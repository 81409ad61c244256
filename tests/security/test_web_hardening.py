"""Headers, cookies and the template guard behind the strict Content-Security-Policy."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

# Rendered for WeasyPrint or mail clients, never served to a browser under the CSP.
NOT_SERVED = ("/pdf/", "/email/")
INLINE = [
    ("inline <script>", re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I)),
    ("<style> element", re.compile(r"<style\b", re.I)),
    ("style= attribute", re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S)),
    ("on…= attribute", re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)),
    ("javascript: URL", re.compile(r"javascript:", re.I)),
]


def served_templates() -> list[Path]:
    found = []
    for config in apps.get_app_configs():
        root = Path(config.path) / "templates"
        if config.name.startswith("guichet.") and root.is_dir():
            found += [
                path
                for path in sorted(root.rglob("*.html"))
                if not any(part in path.as_posix() for part in NOT_SERVED)
            ]
    return found


def inline_code(text: str) -> list[str]:
    return [name for name, pattern in INLINE if pattern.search(text)]


def test_template_guard__finds_each_kind_of_inline_code():
    samples = {
        "<script>alert(1)</script>": ["inline <script>"],
        '<script src="/static/a.js" defer></script>': [],
        "<style>p{}</style>": ["<style> element"],
        '<p class="x" style="color:red">': ["style= attribute"],
        '<button type="button"\n onclick="go()">': ["on…= attribute"],
        '<a href="javascript:go()">': ["javascript: URL"],
        "<p>Les données sont conservées</p>": [],
    }

    assert {sample: inline_code(sample) for sample in samples} == samples


def test_every_served_template__has_no_inline_script_style_or_handler():
    templates = served_templates()
    offenders = {str(path): found for path in templates if (found := inline_code(path.read_text()))}

    assert len(templates) > 20
    assert offenders == {}


def test_pages__send_a_strict_content_security_policy_and_hardening_headers(city_client):
    response = city_client.get("/connexion/")

    policy = response["Content-Security-Policy"]
    directives = dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_authority_colours__come_from_a_stylesheet_not_inline(city_client, city):
    city.primary_colour = "#123456"
    city.save()

    page = city_client.get("/").content.decode()
    css = city_client.get("/theme.css")

    assert "/theme.css?v=123456" in page
    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert css.content.decode() == ":root { --primary: #123456; --accent: #c9191e; }\n"


def test_theme__ignores_a_colour_that_is_not_one(city_client, city):
    city.primary_colour = "red;}x{"
    city.save()

    assert city_client.get("/theme.css").content.decode().startswith(":root { --primary: #000091;")


def test_theme__a_stored_colour_too_pale_to_read_gives_way_to_the_default(city_client, city):
    city.primary_colour = "#ffcc00"  # 1.37:1 on the panels' grey
    city.save()

    assert city_client.get("/theme.css").content.decode().startswith(":root { --primary: #000091;")


def test_cookies__secure_httponly_and_hsts_behind_tls(settings, city):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    factories.resident(city)
    client = Client(HTTP_HOST="ville-a.localhost")

    page = client.get("/connexion/", secure=True)
    response = client.post(
        "/connexion/",
        {"email": "camille@example.fr", "password": factories.PASSWORD},
        secure=True,
    )

    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"]
    assert csrf["httponly"]
    assert csrf["samesite"] == "Lax"
    session = response.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


def test_csrf__a_post_without_token_is_refused(city):
    factories.resident(city)
    client = Client(HTTP_HOST="ville-a.localhost", enforce_csrf_checks=True)

    response = client.post(
        "/connexion/", {"email": "camille@example.fr", "password": factories.PASSWORD}
    )

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
