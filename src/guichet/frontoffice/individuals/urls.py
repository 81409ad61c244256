"""Included by `guichet.frontoffice.urls` without a namespace of its own: names are
in the `frontoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.frontoffice.individuals import views

urlpatterns = [
    path(
        "etat-civil/demande/",
        views.civil_status_request,
        name="individuals_civil_status_request",
    ),
]
