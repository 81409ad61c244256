import datetime
import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Organisation
from guichet.facilities.models import Audience, OpeningHours, Unit

TIME = forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M")


def unit_choices(units: list[Unit]) -> list[tuple[int, str]]:
    return [(unit.pk, "\u2003" * getattr(unit, "depth", 0) + unit.name) for unit in units]


class BookingForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Espace"), coerce=int)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("Heure de début"), widget=TIME)
    ends = forms.TimeField(label=_("Heure de fin"), widget=TIME)
    audience = forms.ChoiceField(
        label=_("Vous réservez"),
        choices=[
            (Audience.RESIDENT, _("à titre personnel")),
            (Audience.ASSOCIATION, _("pour une association")),
        ],
        widget=forms.RadioSelect,
        initial=Audience.RESIDENT,
    )
    organisation = forms.TypedChoiceField(
        label=_("Association"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Seulement si vous réservez pour une association que vous représentez."),
    )
    purpose = forms.CharField(label=_("Objet de la réservation"), max_length=300)
    attendance = forms.IntegerField(label=_("Nombre de personnes"), min_value=1, initial=1)
    request_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, units: list[Unit], organisations: list[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)
        self.fields["organisation"].choices = organisation_choices(organisations)
        if not organisations:
            self.fields["organisation"].help_text = _(
                "Vous ne représentez aucune association : déclarez-la d'abord dans "
                "l'espace associations."
            )
        if not self.is_bound:
            self.initial.setdefault("request_key", secrets.token_urlsafe(16))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("La fin doit suivre le début."))
        if data.get("audience") == Audience.ASSOCIATION and not data.get("organisation"):
            self.add_error("organisation", _("Choisissez l'association."))
        return data


def organisation_choices(organisations: list[Organisation]) -> list[tuple[Any, str]]:
    return [("", _("— aucune —")), *((o.pk, o.name) for o in organisations)]


class SeasonApplicationForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Espace"), coerce=int)
    organisation = forms.TypedChoiceField(label=_("Association"), coerce=int)
    activity = forms.CharField(label=_("Activité"), max_length=200)
    weekday = forms.TypedChoiceField(
        label=_("Jour de la semaine"), choices=OpeningHours.Weekday.choices, coerce=int
    )
    starts = forms.TimeField(label=_("Heure de début"), widget=TIME)
    ends = forms.TimeField(label=_("Heure de fin"), widget=TIME)

    def __init__(
        self, *args: Any, units: list[Unit], organisations: list[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, f"{u.facility.name} — {u.name}") for u in units]
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("La fin doit suivre le début."))
        return data


def parse_week(value: str, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return default
