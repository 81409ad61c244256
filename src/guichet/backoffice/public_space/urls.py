"""Included by `guichet.backoffice.urls` without a namespace of its own: names are
in the `backoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.backoffice.public_space import views

urlpatterns = [
    path("signalements/", views.reports, name="public_space_reports"),
    path("signalements/<int:report_id>/", views.report_detail, name="public_space_report"),
    path("signalements/<int:report_id>/tri/", views.report_triage, name="public_space_triage"),
    path(
        "signalements/<int:report_id>/photos/<int:photo_id>/",
        views.report_photo,
        name="public_space_photo",
    ),
    path(
        "signalements/<int:report_id>/intervention/",
        views.report_work_order_create,
        name="public_space_work_order_create",
    ),
    path("signalements/categories/", views.categories, name="public_space_categories"),
    path(
        "signalements/categories/nouvelle/",
        views.category_edit,
        name="public_space_category_new",
    ),
    path(
        "signalements/categories/<int:category_id>/",
        views.category_edit,
        name="public_space_category",
    ),
    path("signalements/cles-open311/", views.api_keys, name="public_space_api_keys"),
    path(
        "signalements/cles-open311/<int:key_id>/revoquer/",
        views.api_key_revoke_view,
        name="public_space_api_key_revoke",
    ),
    # Work orders (the shared `interventions` app; facilities will link here too).
    path("interventions/", views.work_order_list, name="interventions_work_orders"),
    path("interventions/nouvelle/", views.work_order_new, name="interventions_work_order_new"),
    path("interventions/aujourd-hui/", views.work_orders_today, name="interventions_today"),
    path(
        "interventions/<int:work_order_id>/",
        views.work_order_detail,
        name="interventions_work_order",
    ),
    path(
        "interventions/<int:work_order_id>/avancement/",
        views.work_order_progress,
        name="interventions_progress",
    ),
    path(
        "interventions/<int:work_order_id>/photos/<int:photo_id>/",
        views.work_order_photo,
        name="interventions_photo",
    ),
]
