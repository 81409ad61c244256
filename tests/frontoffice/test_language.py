from pathlib import Path

import polib
from django.core.management import call_command

import guichet


def test_interface__is_french_by_default_and_english_on_request(city_client, procedure):
    call_command("translations_compile")

    french = city_client.get("/").content.decode()
    city_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = city_client.get("/").content.decode()

    assert '<html lang="fr">' in french
    assert "<h1>Démarches en ligne</h1>" in french
    assert '<html lang="en">' in english
    assert "<h1>Online procedures</h1>" in english
    assert "<h2>Services to individuals</h2>" in english


def test_interface__stays_french_for_an_english_browser_until_english_is_chosen(
    city_client, procedure
):
    call_command("translations_compile")

    response = city_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.headers["Content-Language"] == "fr"
    assert "<h1>Démarches en ligne</h1>" in response.content.decode()


def test_back_office__speaks_english_on_request(city_client, agent):
    call_command("translations_compile")
    city_client.force_login(agent)

    city_client.post("/i18n/setlang/", {"language": "en", "next": "/agents/"})
    page = city_client.get("/agents/").content.decode()

    assert "<h1>Cases</h1>" in page
    assert "Search and filter" in page


def test_every_english_catalogue__is_complete():
    """A string left untranslated or fuzzy would show French in the English interface."""
    catalogues = sorted(Path(guichet.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po"))

    untranslated = [
        f"{path.relative_to(Path(guichet.__file__).parent)}: {entry.msgid!r}"
        for path in catalogues
        for entry in polib.pofile(str(path))
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]

    assert catalogues
    assert untranslated == []
