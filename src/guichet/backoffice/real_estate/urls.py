"""Included by `guichet.backoffice.urls` without a namespace of its own: names are
in the `backoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.backoffice.real_estate import views

urlpatterns: list = [
    path("operations/", views.operations, name="real_estate_operations"),
    path("operations/nouvelle/", views.operation_create, name="real_estate_operation_create"),
    path("operations/suivi/", views.requested, name="real_estate_requested"),
    path("operations/export/", views.export, name="real_estate_export"),
    path(
        "operations/demandes/<int:case_id>/",
        views.operation_from_request,
        name="real_estate_operation_from_request",
    ),
    path("operations/<int:operation_id>/", views.operation_detail, name="real_estate_operation"),
    path(
        "operations/<int:operation_id>/modifier/",
        views.operation_edit,
        name="real_estate_operation_edit",
    ),
    path(
        "operations/<int:operation_id>/phases/<int:phase_id>/",
        views.phase_edit,
        name="real_estate_phase",
    ),
    path(
        "operations/<int:operation_id>/documents/<int:document_id>/",
        views.document_download,
        name="real_estate_document",
    ),
    path(
        "operations/<int:operation_id>/deliberations/<int:decision_id>/",
        views.decision_download,
        name="real_estate_decision",
    ),
    path(
        "operations/<int:operation_id>/photos/<int:photo_id>/",
        views.photo_view,
        name="real_estate_photo",
    ),
    path(
        "operations/<int:operation_id>/<slug:action>/",
        views.operation_action,
        name="real_estate_action",
    ),
]
