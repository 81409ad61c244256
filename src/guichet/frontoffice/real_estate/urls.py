"""Included by `guichet.frontoffice.urls` without a namespace of its own: names are
in the `frontoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.frontoffice.real_estate import views

urlpatterns: list = [
    path("chantiers/", views.operations, name="real_estate_operations"),
    path("chantiers/<int:operation_id>/", views.operation_detail, name="real_estate_operation"),
    path(
        "chantiers/<int:operation_id>/abonnement/",
        views.subscribe,
        name="real_estate_subscribe",
    ),
    path(
        "chantiers/<int:operation_id>/photos/<int:photo_id>/",
        views.photo,
        name="real_estate_public_photo",
    ),
    path(
        "chantiers/abonnement/<str:token>/",
        views.subscription_confirm,
        name="real_estate_subscription_confirm",
    ),
    path(
        "chantiers/desabonnement/<str:token>/",
        views.unsubscribe,
        name="real_estate_unsubscribe",
    ),
]
