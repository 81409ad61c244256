"""iCalendar feeds behind signed URLs: one per facility, one per person."""

from collections.abc import Iterable

from django.core import signing
from django.utils import timezone
from icalendar import Calendar, Event

from guichet.facilities.models import Booking

SALT = "guichet.facilities.feed"


def feed_token(*, kind: str, object_id: int, authority_id: int) -> str:
    """A token naming what the feed shows; it cannot be guessed nor altered."""
    return signing.Signer(salt=SALT).sign(f"{kind}.{authority_id}.{object_id}")


def feed_read(*, token: str, kind: str, authority_id: int) -> int | None:
    """The object id a token names, or None when the token is altered or of another kind."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    found_kind, found_authority, object_id = [*value.split("."), "", "", ""][:3]
    if found_kind != kind or found_authority != str(authority_id) or not object_id.isdigit():
        return None
    return int(object_id)


def calendar_bytes(
    *, name: str, bookings: Iterable[Booking], host: str, with_holder: bool
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Guichet//Equipements//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for booking in bookings:
        event = Event()
        event.add("uid", f"booking-{booking.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        summary = booking.purpose if with_holder else str(booking.unit.name)
        if with_holder and booking.holder_label:
            summary = f"{booking.purpose} — {booking.holder_label}"
        event.add("summary", summary)
        event.add("location", f"{booking.unit.facility.name}, {booking.unit.facility.address}")
        event.add("description", f"{booking.unit} ({booking.reference})")
        event.add(
            "status", "CONFIRMED" if booking.status == Booking.Status.CONFIRMED else "TENTATIVE"
        )
        calendar.add_component(event)
    return calendar.to_ical()
