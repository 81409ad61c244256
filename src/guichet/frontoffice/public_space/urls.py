"""Included by `guichet.frontoffice.urls` without a namespace of its own: names are
in the `frontoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.frontoffice.public_space import views

urlpatterns = [
    path("signalements/", views.report_map, name="public_space_map"),
    path("signalements/nouveau/", views.report_categories, name="public_space_categories"),
    path("signalements/nouveau/<slug:code>/", views.report_new, name="public_space_report_new"),
    path("signalements/<str:number>/", views.report_detail, name="public_space_report"),
    path("signalements/<str:number>/suivre/", views.report_follow, name="public_space_follow"),
    path(
        "signalements/<str:number>/photos/<int:photo_id>/",
        views.report_photo,
        name="public_space_photo",
    ),
    path(
        "signalements/<str:number>/suivi/<int:update_id>/photo/",
        views.report_update_photo,
        name="public_space_update_photo",
    ),
]
