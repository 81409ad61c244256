"""Included by `guichet.api.urls` without a namespace of its own: names are
in the `api` namespace, so prefix them with the domain.

Open311 is also mounted at the site's root (`/open311/v2/`, see `config/urls.py`), where
clients expect it; its route names (`open311_*`) are the root's."""

from django.urls import include, path

urlpatterns: list = [
    path(
        "open311/v2/",
        include(
            ("guichet.api.public_space.open311_urls", "public_space"),
            namespace="public_space_open311",
        ),
    ),
]
