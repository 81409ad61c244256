"""Platform staff's view of the registry (agents use their own pages in the back office)."""

from django.contrib import admin

from guichet.facilities.models import (
    AudienceRule,
    Booking,
    Closure,
    Facility,
    FacilityReport,
    OpeningHours,
    Price,
    SeasonApplication,
    SeasonRound,
    Unit,
)


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["name", "parent", "capacity", "position", "authority"]


class HoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class RuleInline(admin.TabularInline):
    model = AudienceRule
    extra = 0


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "authority", "kind", "service", "is_listed"]
    list_filter = ["authority", "kind"]
    search_fields = ["name", "address"]
    inlines = [UnitInline, HoursInline, RuleInline]


@admin.register(Price)
class PriceAdmin(admin.ModelAdmin):
    list_display = ["unit", "audience", "hourly"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["facility", "kind", "starts_on", "ends_on"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["reference", "unit", "starts_at", "ends_at", "audience", "status"]
    list_filter = ["authority", "status", "audience"]
    search_fields = ["reference", "organisation__name"]
    readonly_fields = [
        "unit",
        "starts_at",
        "ends_at",
        "status",
        "series",
        "paid_at",
        "payment_reference",
    ]


@admin.register(SeasonRound)
class SeasonRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "authority", "season_starts", "season_ends", "status"]


@admin.register(SeasonApplication)
class SeasonApplicationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "round", "unit", "weekday", "starts", "ends", "status"]


@admin.register(FacilityReport)
class FacilityReportAdmin(admin.ModelAdmin):
    list_display = ["facility", "unit", "status", "created_at", "closed_at"]
    list_filter = ["authority", "status"]
    readonly_fields = ["facility", "unit", "reporter", "status", "closed_at", "resolution"]
