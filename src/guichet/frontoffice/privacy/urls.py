"""Included by `guichet.frontoffice.urls` without a namespace of its own: names are
in the `frontoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.frontoffice.privacy import views

urlpatterns = [
    path("mon-compte/mes-donnees/", views.my_data, name="privacy_my_data"),
    path("mon-compte/mes-donnees.zip", views.my_data_download, name="privacy_my_data_download"),
]
