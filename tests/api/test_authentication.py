import pytest
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from guichet.api.authentication import ApiKeyAuthentication
from guichet.security.api_keys import api_key_create
from tests import factories

pytestmark = pytest.mark.django_db


class Whoami(APIView):
    authentication_classes = [ApiKeyAuthentication]
    api_key_scope = "open311"

    def get(self, request):
        return Response({"partner": request.auth.name if request.auth else None})


def _call(authority, **headers):
    request = APIRequestFactory().get("/whoami", headers=headers)
    request.authority = authority
    return Whoami.as_view()(request)


def test_api_key_authentication__bearer_or_header_identifies_the_partner():
    city = factories.authority("ville-a")
    _, raw = api_key_create(authority=city, name="Appli", scopes=["open311"])

    assert _call(city, Authorization=f"Bearer {raw}").data == {"partner": "Appli"}
    assert _call(city, **{"X-Api-Key": raw}).data == {"partner": "Appli"}
    assert _call(city).data == {"partner": None}


def test_api_key_authentication__wrong_scope_or_authority_is_401():
    city = factories.authority("ville-a")
    other = factories.authority("ville-b")
    _, relay_only = api_key_create(authority=city, name="Relais", scopes=["relay"])
    _, open311 = api_key_create(authority=city, name="Appli", scopes=["open311"])

    refused = _call(city, Authorization=f"Bearer {relay_only}")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == "Bearer"
    assert _call(other, Authorization=f"Bearer {open311}").status_code == 401
