"""Included by `guichet.backoffice.urls` without a namespace of its own: names are
in the `backoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.backoffice.privacy import views

urlpatterns = [
    path("rgpd/journal-des-acces/", views.access_log, name="privacy_access_log"),
    path("rgpd/journal-des-acces.csv", views.access_log_export, name="privacy_access_log_export"),
    path("rgpd/registre/", views.register, name="privacy_register"),
]
