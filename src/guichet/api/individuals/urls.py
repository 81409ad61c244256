"""Included by `guichet.api.urls` without a namespace of its own: names are
in the `api` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.api.individuals.views import CivilStatusRelayView

urlpatterns = [
    path(
        "individuals/civil-status-requests/",
        CivilStatusRelayView.as_view(),
        name="individuals_civil_status_relay",
    ),
]
