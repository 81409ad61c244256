import hashlib

import pytest
from django.core.management import call_command

from guichet.security.api_keys import api_key_authenticate, api_key_create, api_key_revoke
from guichet.security.models import ApiKey
from tests import factories

pytestmark = pytest.mark.django_db


def test_api_key__authenticates_with_its_scope_and_records_use():
    city = factories.authority("ville-a")
    key, raw = api_key_create(authority=city, name="Appli de signalement", scopes=["open311"])

    assert api_key_authenticate(authority=city, raw=raw, scope="open311") == key
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert raw.split(".")[1] not in key.key_hash  # only the hash is stored


def test_api_key__refused_for_another_scope_authority_wrong_secret_or_revoked():
    city = factories.authority("ville-a")
    other = factories.authority("ville-b")
    key, raw = api_key_create(authority=city, name="Portail national", scopes=["relay"])
    prefix = raw.split(".")[0]

    assert api_key_authenticate(authority=city, raw=raw, scope="open311") is None
    assert api_key_authenticate(authority=other, raw=raw, scope="relay") is None
    assert api_key_authenticate(authority=city, raw=f"{prefix}.wrong", scope="relay") is None
    assert api_key_authenticate(authority=city, raw="", scope="relay") is None
    api_key_revoke(key=key)
    assert api_key_authenticate(authority=city, raw=raw, scope="relay") is None


def test_api_key__unknown_scope_is_refused():
    with pytest.raises(ValueError, match="unknown scopes"):
        api_key_create(authority=factories.authority("ville-a"), name="x", scopes=["everything"])


def test_api_key_create_command__prints_a_working_key(capsys):
    city = factories.authority("ville-a")

    call_command("api_key_create", "ville-a", "Appli", "--scope", "open311", "--scope", "read")

    raw = capsys.readouterr().out.strip()
    key = api_key_authenticate(authority=city, raw=raw, scope="read")
    assert key is not None
    assert (key.name, key.scopes) == ("Appli", ["open311", "read"])
    assert ApiKey.objects.count() == 1


def test_api_key__a_key_without_a_dot_reads_prefix_dash_secret():
    city = factories.authority("ville-a")
    key = ApiKey.objects.create(
        authority=city,
        name="Démo",
        scopes=["open311"],
        prefix="demo-open311",
        key_hash=hashlib.sha256(b"key").hexdigest(),
    )

    assert api_key_authenticate(authority=city, raw="demo-open311-key", scope="open311") == key
    assert api_key_authenticate(authority=city, raw="demo-open311-cle", scope="open311") is None
    assert api_key_authenticate(authority=city, raw="demo", scope="open311") is None
