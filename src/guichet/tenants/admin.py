from django.contrib import admin

from guichet.tenants.models import Authority, AuthorityHost


class AuthorityHostInline(admin.TabularInline):
    model = AuthorityHost
    extra = 1


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "official_code", "population"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AuthorityHostInline]
