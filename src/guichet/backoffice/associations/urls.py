"""Included by `guichet.backoffice.urls` without a namespace of its own: names are
in the `backoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.backoffice.associations import views

A = "associations/demandes/<int:application_id>/"
urlpatterns = [
    path("associations/appels/", views.calls, name="associations_calls"),
    path("associations/appels/<int:call_id>/", views.call, name="associations_call"),
    path(A, views.application, name="associations_application"),
    path(A + "recevabilite/", views.eligibility, name="associations_eligibility"),
    path(A + "avis/", views.opinions_request, name="associations_opinions_request"),
    path(A + "commission/", views.schedule, name="associations_schedule"),
    path(A + "decision/", views.decide, name="associations_decide"),
    path(
        A + "versements/<int:instalment_id>/",
        views.instalment_pay,
        name="associations_instalment_pay",
    ),
    path(A + "solder/", views.close, name="associations_close"),
    path("associations/avis/", views.opinions, name="associations_opinions"),
    path("associations/avis/<int:opinion_id>/", views.opinion, name="associations_opinion"),
    path(
        "associations/dossiers/<int:case_id>/avis/",
        views.case_opinions,
        name="associations_case_opinions",
    ),
    path("associations/commissions/", views.sessions, name="associations_sessions"),
    path(
        "associations/commissions/<int:session_id>/",
        views.session,
        name="associations_session",
    ),
    path(
        "associations/commissions/<int:session_id>/ordre-du-jour.pdf",
        views.session_agenda_pdf,
        name="associations_session_agenda",
    ),
]
