"""Included by `guichet.backoffice.urls` without a namespace of its own: names are
in the `backoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.backoffice.builder import views

P = "demarches/<int:procedure_id>/"
urlpatterns = [
    path("demarches/", views.procedures, name="builder_procedures"),
    path("demarches/nouvelle/", views.create, name="builder_create"),
    path("demarches/copier/", views.copy, name="builder_copy"),
    path("demarches/importer/", views.import_yaml, name="builder_import"),
    path(P, views.detail, name="builder_detail"),
    path(P + "reglages/", views.settings_edit, name="builder_settings"),
    path(P + "champs/nouveau/", views.field_edit, name="builder_field_add"),
    path(P + "champs/<int:index>/", views.field_edit, name="builder_field"),
    path(P + "statuts/nouveau/", views.status_edit, name="builder_status_add"),
    path(P + "statuts/<int:index>/", views.status_edit, name="builder_status"),
    path(P + "transitions/nouvelle/", views.transition_edit, name="builder_transition_add"),
    path(P + "transitions/<int:index>/", views.transition_edit, name="builder_transition"),
    path(P + "textes/<str:kind>/nouveau/", views.text_edit, name="builder_text_add"),
    path(P + "textes/<str:kind>/<int:index>/", views.text_edit, name="builder_text"),
    path(P + "<str:section>/<int:index>/supprimer/", views.item_delete, name="builder_delete"),
    path(P + "<str:section>/<int:index>/deplacer/", views.item_move, name="builder_move"),
    path(P + "statut-initial/", views.initial_set, name="builder_initial"),
    path(P + "yaml/", views.yaml_edit, name="builder_yaml"),
    path(P + "export.yaml", views.export, name="builder_export"),
    path(P + "publier/", views.publish, name="builder_publish"),
    path(P + "abandonner/", views.discard, name="builder_discard"),
    path(P + "versions/", views.versions, name="builder_versions"),
    path(P + "apercu/", views.preview, name="builder_preview"),
    path(P + "essai/", views.trial, name="builder_trial"),
    path(P + "essai/page/<int:page>/", views.trial_page, name="builder_trial_page"),
    path(P + "essai/etape/", views.trial_step, name="builder_trial_step"),
    path(
        P + "essai/<int:step>/<slug:document>.pdf",
        views.trial_document,
        name="builder_trial_document",
    ),
]
