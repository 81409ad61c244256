from django.contrib import admin

from guichet.security.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Read-only here: keys are made with `guichet api_key_create`, which shows the secret once."""

    list_display = [
        "name",
        "authority",
        "prefix",
        "scopes",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["authority"]
    readonly_fields = [
        "authority",
        "name",
        "scopes",
        "prefix",
        "key_hash",
        "created_at",
        "last_used_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
