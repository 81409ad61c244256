from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from guichet.accounts.models import Membership, Organisation, Representative, Service, User


@admin.register(User)
class GuichetUserAdmin(UserAdmin):
    list_display = ["email", "first_name", "last_name", "authority", "is_authority_admin"]
    list_filter = ["authority", "is_authority_admin", "is_staff"]
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "Guichet",
            {
                "fields": [
                    "authority",
                    "is_email_verified",
                    "is_authority_admin",
                    "phone",
                    "address",
                ]
            },
        ),
    )


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "authority", "email"]
    list_filter = ["authority"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "service", "role"]
    list_filter = ["authority", "role"]


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0
    fields = ["email", "user", "role", "joined_at", "left_at"]
    readonly_fields = ["joined_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "rna", "authority"]
    list_filter = ["authority"]
    search_fields = ["name", "siret", "rna"]
    inlines = [RepresentativeInline]
