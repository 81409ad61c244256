import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from guichet.accounts import services
from guichet.accounts.models import User
from guichet.accounts.tokens import email_verification_tokens, magic_link_tokens, uid_encode
from guichet.core.errors import DomainError, ErrorCode
from tests import factories


def _request(authority):
    request = RequestFactory().post("/connexion/")
    request.authority = authority
    return request


def test_authenticate__by_email_within_the_hosts_authority(city, other_city):
    in_a = factories.resident(city)
    in_b = factories.resident(other_city)

    assert (
        authenticate(_request(city), username="CAMILLE@example.fr", password=factories.PASSWORD)
        == in_a
    )
    assert (
        authenticate(_request(other_city), username=in_b.email, password=factories.PASSWORD) == in_b
    )


def test_authenticate__refuses_a_wrong_password_and_platform_logins_of_residents(city):
    resident = factories.resident(city)

    assert authenticate(_request(city), username=resident.email, password="wrong") is None
    assert (
        authenticate(_request(None), username=resident.username, password=factories.PASSWORD)
        is None
    )


def test_resident_register__refuses_an_address_already_used_in_the_authority(city, other_city):
    factories.resident(city)

    with pytest.raises(DomainError) as error:
        services.resident_register(
            authority=city,
            email="Camille@Example.fr",
            password="un-mot-de-passe-solide",
            first_name="C",
            last_name="M",
            verify_url="http://x/{uid}/{token}/",
        )

    assert error.value.code == ErrorCode.ALREADY_DONE
    assert User.objects.filter(authority=city).count() == 1
    other = services.resident_register(
        authority=other_city,
        email="camille@example.fr",
        password="un-mot-de-passe-solide",
        first_name="C",
        last_name="M",
        verify_url="http://x/{uid}/{token}/",
    )
    assert (other.authority, other.username) == (other_city, "ville-b:camille@example.fr")


def test_email_verify__refuses_a_wrong_token_and_changes_nothing(city):
    user = factories.person(city, "new@example.fr", is_email_verified=False)

    with pytest.raises(DomainError) as error:
        services.email_verify(authority=city, uid=uid_encode(user), token="bad-token")

    assert error.value.code == ErrorCode.INVALID_TOKEN
    user.refresh_from_db()
    assert user.is_email_verified is False


def test_email_verify__refuses_a_link_used_on_another_authority(city, other_city):
    user = factories.person(city, "new@example.fr", is_email_verified=False)
    token = email_verification_tokens.make_token(user)

    with pytest.raises(DomainError):
        services.email_verify(authority=other_city, uid=uid_encode(user), token=token)

    user.refresh_from_db()
    assert user.is_email_verified is False
    assert services.email_verify(authority=city, uid=uid_encode(user), token=token) == user


def test_magic_link_user__is_spent_by_logging_in(city, client):
    user = factories.resident(city)
    token = magic_link_tokens.make_token(user)

    assert services.magic_link_user(authority=city, uid=uid_encode(user), token=token) == user
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(user)  # sets last_login, as logging in does

    user.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.magic_link_user(authority=city, uid=uid_encode(user), token=token)
    assert error.value.code == ErrorCode.INVALID_TOKEN


def test_magic_link_user__refuses_a_garbled_uid(city):
    with pytest.raises(DomainError):
        services.magic_link_user(authority=city, uid="!!!", token="x")
