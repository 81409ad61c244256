from django.core.management import call_command


def test_operation_pages__speak_english_on_request(city_client, lead, operation):
    call_command("translations_compile")
    city_client.force_login(lead)
    city_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    back = city_client.get(f"/agents/operations/{operation.pk}/").content.decode()
    public = city_client.get(f"/chantiers/{operation.pk}/").content.decode()

    assert '<h2 id="budget">Budget: programme authorisation and payment credits</h2>' in back
    assert "Sketch (ESQ)" in back
    assert '<h2 id="quand">When: the schedule</h2>' in public
