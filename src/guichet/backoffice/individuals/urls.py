"""Included by `guichet.backoffice.urls` without a namespace of its own: names are
in the `backoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.backoffice.individuals import views

urlpatterns = [
    path("etat-civil/", views.civil_status_queue, name="individuals_civil_status_queue"),
    path(
        "etat-civil/<int:case_id>/",
        views.civil_status_case,
        name="individuals_civil_status_case",
    ),
    path("aide-sociale/", views.aid_queue, name="individuals_aid_queue"),
    path("aide-sociale/<int:application_id>/", views.aid_case, name="individuals_aid_case"),
    path("regie/", views.regie, name="individuals_regie"),
    path("enfance/appel/<int:activity_id>/", views.roll_call, name="individuals_roll_call"),
    path("enfance/foyers/", views.households, name="individuals_households"),
    path("enfance/creche/", views.creche_committee, name="individuals_creche_committee"),
    path(
        "enfance/foyers/<int:household_id>/quotient/",
        views.household_quotient,
        name="individuals_household_quotient",
    ),
]
