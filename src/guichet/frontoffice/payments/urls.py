"""Included by `guichet.frontoffice.urls` without a namespace of its own: names are
in the `frontoffice` namespace, so prefix them with `payments_`."""

from django.urls import path

from guichet.frontoffice.payments import views

urlpatterns = [
    path("paiement/retour/", views.payment_return, name="payments_return"),
    path("paiement/notification/", views.payment_notification, name="payments_notification"),
    path("paiement/banque-fictive/", views.dummy_service, name="payments_dummy_service"),
]
