"""Included by `guichet.frontoffice.urls` without a namespace of its own: names are
in the `frontoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.frontoffice.individuals import views

urlpatterns = [
    path(
        "etat-civil/demande/",
        views.civil_status_request,
        name="individuals_civil_status_request",
    ),
    path("famille/", views.family, name="individuals_family"),
    path("famille/enfants/", views.child_add, name="individuals_child_add"),
    path(
        "famille/sessions/<int:session_id>/inscrire/",
        views.session_enrol,
        name="individuals_session_enrol",
    ),
    path(
        "famille/factures/<int:invoice_id>/facture.pdf",
        views.invoice_pdf,
        name="individuals_invoice_pdf",
    ),
    path(
        "famille/factures/<int:invoice_id>/payer/",
        views.invoice_pay,
        name="individuals_invoice_pay",
    ),
]
