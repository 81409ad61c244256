"""Included by `guichet.api.urls` without a namespace of its own: names are
in the `api` namespace, so prefix them with the domain."""

urlpatterns: list = []
