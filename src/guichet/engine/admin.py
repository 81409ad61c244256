from django.contrib import admin

from guichet.engine.models import CannedReply, Case, Procedure, ProcedureVersion


class ProcedureVersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["number", "published_at", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["name", "authority", "domain", "service", "is_online"]
    list_filter = ["authority", "domain", "is_online"]
    inlines = [ProcedureVersionInline]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases are processed in the back office, where access is audited."""

    list_display = ["number", "authority", "procedure", "status", "channel", "submitted_at"]
    list_filter = ["authority", "channel"]
    search_fields = ["number"]
    fields = ["authority", "procedure", "number", "status", "channel", "submitted_at", "closed_at"]
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "authority"]
    list_filter = ["authority"]
