"""Included by `guichet.frontoffice.urls` without a namespace of its own: names are
in the `frontoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.frontoffice.security import views

urlpatterns = [
    path("theme.css", views.theme, name="security_theme"),
    path("connexion/oidc/<str:provider>/", views.oidc_start, name="security_oidc_start"),
    path(
        "connexion/oidc/<str:provider>/retour/",
        views.oidc_callback,
        name="security_oidc_callback",
    ),
]
