"""The frontoffice pages for facility registry, availability, bookings.

Included by `guichet.frontoffice.urls` without a namespace of its own: names are
in the `frontoffice` namespace, so prefix them with the domain."""

from django.urls import path

from guichet.frontoffice.facilities import views

urlpatterns: list = [
    path("equipements/", views.facility_list, name="facilities_list"),
    path("equipements/<slug:slug>/", views.facility_detail, name="facilities_detail"),
    path("equipements/<slug:slug>/reserver/", views.booking_new, name="facilities_booking_new"),
    path(
        "equipements/<slug:slug>/signaler/",
        views.facility_report,
        name="facilities_report",
    ),
    path("mes-reservations/", views.my_bookings, name="facilities_my_bookings"),
    path("reservations/<int:booking_id>/", views.booking_detail, name="facilities_booking"),
    path(
        "reservations/<int:booking_id>/annuler/",
        views.booking_cancel,
        name="facilities_booking_cancel",
    ),
    path(
        "reservations/<int:booking_id>/payer/",
        views.booking_pay,
        name="facilities_booking_pay",
    ),
    path(
        "reservations/<int:booking_id>/lettre.pdf",
        views.booking_letter,
        name="facilities_booking_letter",
    ),
    path("creneaux-saison/", views.season_list, name="facilities_seasons"),
    path(
        "creneaux-saison/<int:round_id>/demande/",
        views.season_apply,
        name="facilities_season_apply",
    ),
    path(
        "creneaux-saison/demandes/<int:application_id>/",
        views.season_application,
        name="facilities_season_application",
    ),
    path(
        "creneaux-saison/demandes/<int:application_id>/accepter/",
        views.season_proposal_accept,
        name="facilities_season_accept",
    ),
    path("agenda/equipement/<str:token>.ics", views.feed_facility, name="facilities_feed"),
    path("agenda/personne/<str:token>.ics", views.feed_person, name="facilities_feed_person"),
]
