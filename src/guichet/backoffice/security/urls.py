"""Included by `guichet.backoffice.urls` without a namespace of its own: names are
in the `backoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.backoffice.security import views

urlpatterns = [
    path("securite/double-authentification/", views.otp_verify, name="security_otp"),
    path("securite/double-authentification/activer/", views.otp_setup, name="security_otp_setup"),
]
