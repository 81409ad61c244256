from typing import Any

from django import template

from guichet.security import oidc

register = template.Library()


@register.simple_tag
def oidc_providers(request: Any) -> list[oidc.Provider]:
    """This authority's identity providers, FranceConnect first."""
    return oidc.providers_for(authority=getattr(request, "authority", None))
