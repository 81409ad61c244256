"""Included by `guichet.backoffice.urls` without a namespace of its own: names are
in the `backoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.backoffice.barometer import views

urlpatterns: list = [
    path("barometre/", views.dashboard, name="barometer_dashboard"),
    path("barometre/recalculer/", views.refresh, name="barometer_refresh"),
    path("barometre/questionnaire/", views.questionnaire, name="barometer_questionnaire"),
    path("barometre/campagnes/", views.campaigns, name="barometer_campaigns"),
    path("barometre/campagnes/<int:campaign_id>/", views.campaign, name="barometer_campaign"),
    path(
        "barometre/campagnes/<int:campaign_id>/import/",
        views.campaign_import,
        name="barometer_campaign_import",
    ),
    path(
        "barometre/campagnes/<int:campaign_id>/base/",
        views.campaign_frame,
        name="barometer_campaign_frame",
    ),
    path(
        "barometre/campagnes/<int:campaign_id>/inviter/",
        views.campaign_invite,
        name="barometer_campaign_invite",
    ),
    path(
        "barometre/campagnes/<int:campaign_id>/publier/",
        views.campaign_publish,
        name="barometer_campaign_publish",
    ),
]
