from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from guichet.accounts.models import User


class AuthorityEmailBackend(ModelBackend):
    """Logs in by e-mail within the authority of the request's host.

    On the platform's own hosts (no authority) only platform staff may log in,
    by their internal username.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        authority = getattr(request, "authority", None)
        if authority is None:
            user = User.objects.filter(authority=None, username=username).first()
        else:
            user = User.objects.filter(authority=authority, email__iexact=username).first()
        if user is None:
            User().set_password(password)  # same work either way: no user enumeration by timing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
