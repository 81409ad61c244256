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
    path("famille/activites/", views.activity_enrol, name="individuals_activity_enrol"),
    path("famille/creche/", views.creche_request, name="individuals_creche_request"),
    path(
        "famille/creche/<int:request_id>/reponse/",
        views.creche_answer,
        name="individuals_creche_answer",
    ),
    path("famille/quotient/", views.quotient_declare, name="individuals_quotient_declare"),
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
    path("aide-sociale/", views.aid_list, name="individuals_aid_list"),
    path("aide-sociale/demande/", views.aid_apply, name="individuals_aid_apply"),
    path("aide-sociale/<int:application_id>/", views.aid_detail, name="individuals_aid"),
    path(
        "aide-sociale/<int:application_id>/pieces/<slug:code>/",
        views.aid_document,
        name="individuals_aid_document",
    ),
    path(
        "aide-sociale/<int:application_id>/message/",
        views.aid_message,
        name="individuals_aid_message",
    ),
    path(
        "aide-sociale/<int:application_id>/changement/",
        views.aid_situation_change,
        name="individuals_aid_situation_change",
    ),
]
