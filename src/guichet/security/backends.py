"""Login by e-mail within the authority, refused while django-axes has the account locked."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest

from guichet.accounts.backends import AuthorityEmailBackend


class LockoutAuthorityEmailBackend(AxesStandaloneBackend, AuthorityEmailBackend):
    """One backend (so that `login()` needs no `backend=`): axes' check, then the e-mail login."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is not None:
            AxesStandaloneBackend.authenticate(self, request, username, password, **kwargs)
        return AuthorityEmailBackend.authenticate(self, request, username, password, **kwargs)
