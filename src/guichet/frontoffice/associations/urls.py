"""Included by `guichet.frontoffice.urls` without a namespace of its own: names are
in the `frontoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.frontoffice.associations import views

P = "associations/<int:organisation_id>/"
urlpatterns = [
    path("associations/", views.home, name="associations_home"),
    path("associations/agir-pour/", views.acting_as, name="associations_acting_as"),
    path("associations/inscrire/", views.register, name="associations_register"),
    path("associations/invitation/<str:token>/", views.invitation, name="associations_invitation"),
    path("associations/appels/<int:call_id>/deposer/", views.apply, name="associations_apply"),
    path(P, views.organisation, name="associations_organisation"),
    path(P + "inviter/", views.invite, name="associations_invite"),
    path(
        P + "representants/<int:representative_id>/retirer/",
        views.representative_remove,
        name="associations_representative_remove",
    ),
    path(P + "coffre-fort/", views.vault_upload, name="associations_vault_upload"),
    path(
        P + "coffre-fort/<int:document_id>/",
        views.vault_download,
        name="associations_vault_download",
    ),
    path(
        P + "demandes/<int:application_id>/",
        views.application,
        name="associations_application",
    ),
    path(
        P + "demandes/<int:application_id>/compte-rendu/",
        views.final_report,
        name="associations_final_report",
    ),
    path(
        P + "demandes/<int:application_id>/documents/<int:attachment_id>/",
        views.application_document,
        name="associations_application_document",
    ),
    path(P + "prets/", views.loan, name="associations_loan"),
]
