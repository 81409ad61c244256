from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse


def agent_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; anyone but an agent of this authority gets a
    404, so that the back office does not even reveal that it exists."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        authority = getattr(request, "authority", None)
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if authority is None:
            raise Http404
        if user.authority_id != authority.pk:
            raise Http404
        if not user.is_agent:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def authority_admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The procedure builder and other settings: an administrator of this authority only;
    anyone else gets a 404, like outside the back office."""

    @wraps(view)
    @agent_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not user.is_authority_admin:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
