"""Included by `guichet.frontoffice.urls` without a namespace of its own: names are
in the `frontoffice` namespace, so prefix them with the domain."""

urlpatterns: list = []
