from django.urls import include, path

from guichet.frontoffice import views

app_name = "frontoffice"
urlpatterns = [
    path("", views.home, name="home"),
    path("demarches/", views.catalogue, name="catalogue"),
    path("demarches/<slug:slug>/", views.procedure_detail, name="procedure"),
    path("demarches/<slug:slug>/commencer/", views.case_start, name="case_start"),
    path("mes-demarches/", views.my_cases, name="my_cases"),
    path("dossiers/<int:case_id>/", views.case_detail, name="case_detail"),
    path("dossiers/<int:case_id>/etape/<int:page>/", views.case_page, name="case_page"),
    path("dossiers/<int:case_id>/verifier/", views.case_review, name="case_review"),
    path("dossiers/<int:case_id>/recu/", views.case_receipt, name="case_receipt"),
    path(
        "dossiers/<int:case_id>/accuse-reception.pdf",
        views.case_receipt_pdf,
        name="case_receipt_pdf",
    ),
    path("dossiers/<int:case_id>/message/", views.case_message, name="case_message"),
    path("dossiers/<int:case_id>/action/<str:name>/", views.case_action, name="case_action"),
    path("dossiers/<int:case_id>/satisfaction/", views.case_satisfaction, name="case_satisfaction"),
    path(
        "dossiers/<int:case_id>/documents/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path("suivi/", views.tracking, name="tracking"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("inscription/", views.register, name="register"),
    path("verifier-courriel/<str:uid>/<str:token>/", views.verify_email, name="verify_email"),
    path("lien-de-connexion/", views.magic_link_request, name="magic_link"),
    path(
        "lien-de-connexion/<str:uid>/<str:token>/", views.magic_link_login, name="magic_link_login"
    ),
]

# Each domain's pages, in its own module (one file per domain, no shared list to edit).
urlpatterns += [
    path("", include("guichet.frontoffice.associations.urls")),
    path("", include("guichet.frontoffice.individuals.urls")),
    path("", include("guichet.frontoffice.public_space.urls")),
    path("", include("guichet.frontoffice.real_estate.urls")),
    path("", include("guichet.frontoffice.facilities.urls")),
    path("", include("guichet.frontoffice.barometer.urls")),
    path("", include("guichet.frontoffice.security.urls")),
    path("", include("guichet.frontoffice.privacy.urls")),
    path("", include("guichet.frontoffice.payments.urls")),
]
