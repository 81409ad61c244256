"""Included by `guichet.frontoffice.urls` without a namespace of its own: names are
in the `frontoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.frontoffice.security import views

urlpatterns = [
    path("theme.css", views.theme, name="security_theme"),
]
