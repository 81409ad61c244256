"""Residents' and associations' pages: facilities, availability, bookings, season slots."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts import selectors as accounts_selectors
from guichet.core.errors import DomainError
from guichet.documents.pdf import pdf_render
from guichet.facilities import selectors, services
from guichet.facilities.calendar import at, hours_by_weekday, local, week_start
from guichet.facilities.feeds import calendar_bytes, feed_read, feed_token
from guichet.facilities.forms import FacilityReportForm
from guichet.facilities.models import Audience, Booking, OpeningHours, SeasonRound
from guichet.frontoffice.associations.acting import acting_among
from guichet.frontoffice.facilities import forms
from guichet.payments import services as payments


def _authority(request: HttpRequest) -> Any:
    if request.authority is None:  # type: ignore[attr-defined]
        raise Http404
    return request.authority  # type: ignore[attr-defined]


def _organisations(request: HttpRequest) -> tuple[list[Any], Any]:
    """The organisations the person represents, and the one they act for (see
    `frontoffice.associations.acting`)."""
    organisations = accounts_selectors.organisations_of_user(
        user=request.user,  # type: ignore[arg-type]
        authority=_authority(request),
    )
    return organisations, acting_among(request, organisations)


def facility_list(request: HttpRequest) -> HttpResponse:
    facilities = selectors.facilities_listed(authority=_authority(request))
    return render(request, "frontoffice/facilities/list.html", {"facilities": facilities})


def facility_detail(request: HttpRequest, slug: str) -> HttpResponse:
    facility = selectors.facility_get_public(authority=_authority(request), slug=slug)
    now = timezone.now()
    monday = week_start(forms.parse_week(request.GET.get("semaine", ""), local(now).date()))
    return render(
        request,
        "frontoffice/facilities/detail.html",
        {
            "facility": facility,
            "units": selectors.facility_units(facility=facility),
            "hours": [
                (OpeningHours.Weekday(day).label, spans)
                for day, spans in sorted(hours_by_weekday(facility).items())
            ],
            "closures": facility.closures.filter(
                authority_id=facility.authority_id, ends_on__gte=local(now).date()
            ),
            "rules": facility.rules.filter(authority_id=facility.authority_id),
            "prices": selectors.facility_prices(facility=facility),
            "tables": selectors.availability_week(facility=facility, monday=monday, now=now),
            "monday": monday,
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
        },
    )


@login_required
def booking_new(request: HttpRequest, slug: str) -> HttpResponse:
    authority = _authority(request)
    if request.user.authority_id != authority.pk:  # type: ignore[attr-defined]
        raise Http404
    facility = selectors.facility_get_public(authority=authority, slug=slug)
    units = selectors.facility_units(facility=facility)
    organisations, acting = _organisations(request)
    if request.method == "POST":
        form = forms.BookingForm(request.POST, units=units, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = services.booking_request(
                    unit=selectors.unit_get_public(facility=facility, unit_id=data["unit"]),
                    holder=request.user,  # type: ignore[arg-type]
                    audience=data["audience"],
                    organisation=next(
                        (o for o in organisations if o.pk == data["organisation"]), None
                    ),
                    starts_at=at(data["day"], data["starts"]),
                    ends_at=at(data["day"], data["ends"]),
                    purpose=data["purpose"],
                    attendance=data["attendance"],
                    request_key=data["request_key"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if booking.status == Booking.Status.CONFIRMED:
                    messages.success(request, _("Votre réservation est confirmée."))
                else:
                    messages.success(
                        request,
                        _("Votre demande est enregistrée ; un agent va la valider."),
                    )
                return redirect("frontoffice:facilities_booking", booking.pk)
    else:
        initial = {
            key: request.GET[name]
            for key, name in [("unit", "espace"), ("day", "date"), ("starts", "heure")]
            if request.GET.get(name)
        }
        if "starts" in initial:
            try:
                starts = datetime.time.fromisoformat(initial["starts"])
                initial["ends"] = datetime.time(min(starts.hour + 1, 23), starts.minute)
            except ValueError:
                initial.pop("starts")
        if acting is not None:
            initial |= {"audience": Audience.ASSOCIATION, "organisation": acting.pk}
        form = forms.BookingForm(initial=initial, units=units, organisations=organisations)
    return render(
        request, "frontoffice/facilities/booking_new.html", {"facility": facility, "form": form}
    )


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    user: Any = request.user
    if user.authority_id != authority.pk:
        raise Http404
    return render(
        request,
        "frontoffice/facilities/my_bookings.html",
        {
            "bookings": selectors.bookings_of_holder(user=user).filter(series__isnull=True),
            "applications": selectors.season_applications_of_holder(user=user),
            "feed": reverse(
                "frontoffice:facilities_feed_person",
                args=[feed_token(kind="person", object_id=user.pk, authority_id=authority.pk)],
            ),
        },
    )


def _booking(request: HttpRequest, booking_id: int) -> Booking:
    return selectors.booking_get_for_holder(
        user=request.user, authority=_authority(request), booking_id=booking_id
    )


@login_required
def booking_detail(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking(request, booking_id)
    starts, ends = selectors.local_range(booking)
    return render(
        request,
        "frontoffice/facilities/booking.html",
        {"booking": booking, "starts": starts, "ends": ends},
    )


@require_POST
@login_required
def booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking(request, booking_id)
    try:
        services.booking_cancel(booking=booking, by=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("La réservation est annulée."))
    return redirect("frontoffice:facilities_booking", booking.pk)


@require_POST
@login_required
def booking_pay(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Sends the holder to the régie's payment provider; the booking is marked paid when the
    provider's signed answer comes back (`services.booking_settle`)."""
    booking = _booking(request, booking_id)
    try:
        payment = services.booking_payment_start(booking=booking, payer=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("frontoffice:facilities_booking", booking.pk)
    booking_url = reverse("frontoffice:facilities_booking", args=[booking.pk])
    ref = payment.reference
    return_url = request.build_absolute_uri(
        f"{reverse('frontoffice:payments_return')}?{urlencode({'ref': ref, 'next': booking_url})}"
    )
    notify_url = request.build_absolute_uri(
        f"{reverse('frontoffice:payments_notification')}?{urlencode({'ref': ref})}"
    )
    order = payments.payment_request(payment=payment, return_url=return_url, notify_url=notify_url)
    if order.method == "post":
        # A provider taking a posted form: one button to go on, without JavaScript.
        return render(
            request, "frontoffice/payments/provider_form.html", {"order": order, "payment": payment}
        )
    separator = "&" if "?" in order.url else "?"
    return redirect(
        f"{order.url}{separator}{urlencode(order.fields)}" if order.fields else order.url
    )


@login_required
def facility_report(request: HttpRequest, slug: str) -> HttpResponse:
    """A user reports a problem in a facility (no JavaScript needed, photo optional)."""
    authority = _authority(request)
    if request.user.authority_id != authority.pk:  # type: ignore[attr-defined]
        raise Http404
    facility = selectors.facility_get_public(authority=authority, slug=slug)
    units = selectors.facility_units(facility=facility)
    form = FacilityReportForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.facility_report_file(
                facility=facility,
                reporter=request.user,  # type: ignore[arg-type]
                unit=selectors.unit_get_public(facility=facility, unit_id=data["unit"])
                if data["unit"]
                else None,
                description=data["description"],
                photo=data["photo"],
                request_key=data["request_key"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Merci : votre signalement est transmis au service, qui vous tiendra informé."),
            )
            return redirect("frontoffice:facilities_detail", facility.slug)
    return render(
        request, "frontoffice/facilities/report.html", {"facility": facility, "form": form}
    )


@login_required
def booking_letter(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = _booking(request, booking_id)
    if booking.status != Booking.Status.CONFIRMED:
        raise Http404
    starts, ends = selectors.local_range(booking)
    pdf = pdf_render(
        template="facilities/pdf/booking_letter.html",
        context={
            "booking": booking,
            "authority": booking.authority,
            "starts": starts,
            "ends": ends,
            "today": local(timezone.now()).date(),
            "title": f"Réservation {booking.reference}",
            "service": booking.unit.facility.service.name,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="reservation-{booking.reference}.pdf"'
    return response


# --- Season slots -------------------------------------------------------------------------------


def season_list(request: HttpRequest) -> HttpResponse:
    rounds = selectors.season_rounds_open(authority=_authority(request))
    return render(request, "frontoffice/facilities/season_list.html", {"rounds": rounds})


@login_required
def season_apply(request: HttpRequest, round_id: int) -> HttpResponse:
    authority = _authority(request)
    if request.user.authority_id != authority.pk:  # type: ignore[attr-defined]
        raise Http404
    season = selectors.season_round_get_public(authority=authority, round_id=round_id)
    if season.status != SeasonRound.Status.OPEN:
        messages.error(request, _("Cette campagne n'accepte pas de demandes."))
        return redirect("frontoffice:facilities_seasons")
    units = list(selectors.season_units(authority=authority))
    organisations, acting = _organisations(request)
    form = forms.SeasonApplicationForm(
        request.POST or None,
        units=units,
        organisations=organisations,
        initial={"organisation": acting.pk} if acting else {},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if u.pk == data["unit"])
        try:
            services.season_apply(
                season=season,
                unit=unit,
                holder=request.user,  # type: ignore[arg-type]
                organisation=next(o for o in organisations if o.pk == data["organisation"]),
                weekday=data["weekday"],
                starts=data["starts"],
                ends=data["ends"],
                activity=data["activity"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Votre demande de créneau est enregistrée."))
            return redirect("frontoffice:facilities_my_bookings")
    return render(
        request,
        "frontoffice/facilities/season_apply.html",
        {"season": season, "form": form, "organisations": organisations},
    )


@login_required
def season_application(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.season_application_get_for_holder(
        user=request.user, authority=_authority(request), application_id=application_id
    )
    series = selectors.series_of_application(application=application)
    return render(
        request,
        "frontoffice/facilities/season_application.html",
        {
            "application": application,
            "bookings": series.bookings.filter(authority_id=application.authority_id)
            if series
            else [],
        },
    )


@require_POST
@login_required
def season_proposal_accept(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.season_application_get_for_holder(
        user=request.user, authority=_authority(request), application_id=application_id
    )
    try:
        services.season_proposal_accept(application=application)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Vous avez accepté le créneau proposé."))
    return redirect("frontoffice:facilities_season_application", application.pk)


# --- Calendar feeds -----------------------------------------------------------------------------


def _ics(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


def feed_facility(request: HttpRequest, token: str) -> HttpResponse:
    authority = _authority(request)
    facility_id = feed_read(token=token, kind="facility", authority_id=authority.pk)
    facility = selectors.facilities_listed(authority=authority).filter(pk=facility_id).first()
    if facility_id is None or facility is None:
        raise Http404
    body = calendar_bytes(
        name=facility.name,
        bookings=selectors.feed_bookings_of_facility(facility=facility),
        host=request.get_host(),
        with_holder=False,
    )
    return _ics(body, facility.slug)


def feed_person(request: HttpRequest, token: str) -> HttpResponse:
    authority = _authority(request)
    user_id = feed_read(token=token, kind="person", authority_id=authority.pk)
    user = selectors.feed_person(authority=authority, user_id=user_id)
    body = calendar_bytes(
        name=_("Mes réservations"),
        bookings=selectors.feed_bookings_of_person(user=user),
        host=request.get_host(),
        with_holder=True,
    )
    return _ics(body, "mes-reservations")
