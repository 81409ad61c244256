from django.contrib import admin

from guichet.public_space.models import Category, Report


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "authority", "service", "is_active"]
    list_filter = ["authority", "is_active"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["number", "authority", "category", "status", "channel", "created_at"]
    list_filter = ["authority", "status", "channel"]
    readonly_fields = ["token", "submission"]
