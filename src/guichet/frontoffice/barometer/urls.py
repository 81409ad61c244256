"""Included by `guichet.frontoffice.urls` without a namespace of its own: names are
in the `frontoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.frontoffice.barometer import views

urlpatterns: list = [
    path("barometre/", views.home, name="barometer"),
    path("barometre/<slug:slug>/", views.report, name="barometer_report"),
]
