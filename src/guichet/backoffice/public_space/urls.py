"""Included by `guichet.backoffice.urls` without a namespace of its own: names are
in the `backoffice` namespace, so prefix them with the domain."""

urlpatterns: list = []
