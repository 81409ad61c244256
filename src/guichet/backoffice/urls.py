from django.urls import include, path

from guichet.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("dossiers/action-groupee/", views.bulk, name="bulk"),
    path("dossiers/<int:case_id>/", views.case_detail, name="case"),
    path("dossiers/<int:case_id>/transition/", views.case_transition, name="transition"),
    path("dossiers/<int:case_id>/message/", views.case_message, name="message"),
    path("dossiers/<int:case_id>/note/", views.case_note, name="note"),
    path("dossiers/<int:case_id>/attribuer/", views.case_assign, name="assign"),
    path("dossiers/<int:case_id>/corriger/", views.case_correct, name="correct"),
    path("dossiers/<int:case_id>/dossier.zip", views.case_download, name="download"),
    path(
        "dossiers/<int:case_id>/documents/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path("accueil/", views.intake, name="intake"),
    path("accueil/<slug:slug>/", views.intake_procedure, name="intake_procedure"),
]

# Each domain's pages, in its own module (one file per domain, no shared list to edit).
urlpatterns += [
    path("", include("guichet.backoffice.associations.urls")),
    path("", include("guichet.backoffice.individuals.urls")),
    path("", include("guichet.backoffice.public_space.urls")),
    path("", include("guichet.backoffice.real_estate.urls")),
    path("", include("guichet.backoffice.facilities.urls")),
    path("", include("guichet.backoffice.facilities.loans")),
    path("", include("guichet.backoffice.barometer.urls")),
    path("", include("guichet.backoffice.builder.urls")),
    path("", include("guichet.backoffice.security.urls")),
    path("", include("guichet.backoffice.privacy.urls")),
]
