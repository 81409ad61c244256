from django.contrib import admin

from guichet.associations.models import (
    CallForProjects,
    CommitteeSession,
    SubsidyApplication,
    VaultDocument,
)


@admin.register(CallForProjects)
class CallForProjectsAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_on", "closes_on", "envelope", "authority"]
    list_filter = ["authority"]


@admin.register(SubsidyApplication)
class SubsidyApplicationAdmin(admin.ModelAdmin):
    list_display = ["project_title", "organisation", "amount_requested", "amount_granted"]
    list_filter = ["authority", "call"]
    raw_id_fields = ["case", "organisation", "call", "session"]


@admin.register(VaultDocument)
class VaultDocumentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "kind", "valid_until", "replaced_at"]
    list_filter = ["authority", "kind"]
    raw_id_fields = ["organisation", "uploaded_by"]


admin.site.register(CommitteeSession)
