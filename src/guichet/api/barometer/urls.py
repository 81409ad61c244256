"""Included by `guichet.api.urls` without a namespace of its own: names are
in the `api` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.api.barometer import views

urlpatterns: list = [
    path("barometre/niveaux.json", views.LevelsView.as_view(), name="barometer_levels"),
    path("barometre/<slug:slug>.json", views.CampaignReportView.as_view(), name="barometer_report"),
]
