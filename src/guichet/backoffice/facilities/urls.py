"""The backoffice pages for registry, bookings, season rounds.

Included by `guichet.backoffice.urls` without a namespace of its own: names are
in the `backoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.backoffice.facilities import views

urlpatterns: list = [
    path("equipements/", views.home, name="facilities_home"),
    path("equipements/<int:facility_id>/", views.facility, name="facilities_facility"),
    path(
        "equipements/<int:facility_id>/signaler/",
        views.facility_report,
        name="facilities_report",
    ),
    path(
        "equipements/<int:facility_id>/reserver/",
        views.internal_booking,
        name="facilities_internal_booking",
    ),
    path(
        "equipements/reservations/<int:booking_id>/",
        views.booking,
        name="facilities_booking",
    ),
    path(
        "equipements/reservations/<int:booking_id>/decision/",
        views.booking_decide,
        name="facilities_booking_decide",
    ),
    path("equipements/registre/nouveau/", views.registry_new, name="facilities_registry_new"),
    path(
        "equipements/<int:facility_id>/registre/",
        views.registry,
        name="facilities_registry",
    ),
    path(
        "equipements/<int:facility_id>/occupation/",
        views.occupancy,
        name="facilities_occupancy",
    ),
    path(
        "equipements/reservations/<int:booking_id>/deplacer/",
        views.booking_move,
        name="facilities_booking_move",
    ),
    path(
        "equipements/series/<int:series_id>/horaires/",
        views.series_move,
        name="facilities_series_move",
    ),
    path("equipements/saisons/", views.rounds, name="facilities_rounds"),
    path("equipements/saisons/<int:round_id>/", views.season_round, name="facilities_round"),
    path(
        "equipements/saisons/<int:round_id>/etape-suivante/",
        views.round_advance,
        name="facilities_round_advance",
    ),
    path(
        "equipements/saisons/<int:round_id>/planning.<str:file_format>",
        views.round_planning,
        name="facilities_round_planning",
    ),
    path(
        "equipements/candidatures/<int:application_id>/",
        views.application,
        name="facilities_application",
    ),
    path(
        "equipements/series/<int:series_id>/annuler/",
        views.series_cancel,
        name="facilities_series_cancel",
    ),
]
