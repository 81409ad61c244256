import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Service
from guichet.engine.validators import upload_check
from guichet.facilities.models import (
    AudienceRule,
    Closure,
    Equipment,
    Facility,
    OpeningHours,
    Price,
    SeasonRound,
    Unit,
)

TIME = forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _unit_choices(units: list[Unit]) -> list[tuple[int, str]]:
    return [(u.pk, f"{u.facility.name} — {u.name}") for u in units]


class InternalBookingForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Espace"), coerce=int)
    service = forms.TypedChoiceField(label=_("Service municipal"), coerce=int)
    day = forms.DateField(label=_("Date"), widget=DATE)
    starts = forms.TimeField(label=_("Heure de début"), widget=TIME)
    ends = forms.TimeField(label=_("Heure de fin"), widget=TIME)
    purpose = forms.CharField(label=_("Objet de la réservation"), max_length=300)
    attendance = forms.IntegerField(label=_("Nombre de personnes"), min_value=1, initial=1)
    request_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, units: list[Unit], services: list[Service], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)
        self.fields["service"].choices = [(s.pk, s.name) for s in services]
        if not self.is_bound:
            self.initial.setdefault("request_key", secrets.token_urlsafe(16))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("La fin doit suivre le début."))
        return data


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", "approve"), ("refuse", "refuse"), ("cancel", "cancel")]
    )
    note = forms.CharField(label=_("Motif (envoyé à l'usager)"), required=False, max_length=1000)


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["kind", "starts_on", "ends_on", "reason"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La fin doit suivre le début."))
        return data


class SeasonRoundForm(forms.ModelForm):
    class Meta:
        model = SeasonRound
        fields = ["name", "season_starts", "season_ends", "applications_close"]
        widgets = {"season_starts": DATE, "season_ends": DATE, "applications_close": DATE}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, last = data.get("season_starts"), data.get("season_ends")
        if first and last and last <= first:
            self.add_error("season_ends", _("La fin doit suivre le début."))
        return data


class SeasonApproveForm(forms.Form):
    dates = forms.MultipleChoiceField(
        label=_("Dates accordées"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, days: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dates"].choices = days


class SeasonProposeForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Espace"), coerce=int)
    weekday = forms.TypedChoiceField(
        label=_("Jour de la semaine"), choices=OpeningHours.Weekday.choices, coerce=int
    )
    starts = forms.TimeField(label=_("Heure de début"), widget=TIME)
    ends = forms.TimeField(label=_("Heure de fin"), widget=TIME)
    note = forms.CharField(
        label=_("Message à l'association"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("La fin doit suivre le début."))
        return data


# --- Registry -------------------------------------------------------------------------------------


class FacilityForm(forms.ModelForm):
    photo_upload = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG ou PNG, 5 Mo au plus ; elle remplace la photo actuelle."),
    )

    class Meta:
        model = Facility
        fields = [
            "name",
            "slug",
            "kind",
            "service",
            "address",
            "capacity",
            "step_free",
            "accessibility",
            "photo_description",
            "closed_on_public_holidays",
            "is_listed",
            "regie",
        ]
        widgets = {"accessibility": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, services: Any, regies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["regie"].queryset = regies

    def clean_photo_upload(self) -> Any:
        upload = self.cleaned_data.get("photo_upload")
        if upload:
            upload_check(upload, accept=("jpeg", "png"), max_size_mb=5)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("photo_upload") and not data.get("photo_description"):
            self.add_error(
                "photo_description", _("Décrivez la photo pour les personnes qui ne la voient pas.")
            )
        return data


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "parent", "capacity", "position"]

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(authority_id=facility.authority_id, facility=facility)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class HoursForm(forms.ModelForm):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]
        widgets = {"opens": TIME, "closes": TIME}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["closes"] <= data["opens"]:
            self.add_error("closes", _("La fermeture doit suivre l'ouverture."))
        return data


class RuleForm(forms.ModelForm):
    class Meta:
        model = AudienceRule
        fields = [
            "audience",
            "needs_approval",
            "min_notice_hours",
            "max_days_ahead",
            "max_duration_minutes",
            "buffer_minutes",
            "cancel_notice_hours",
        ]


class PriceForm(forms.ModelForm):
    class Meta:
        model = Price
        fields = ["unit", "audience", "hourly"]

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            authority_id=facility.authority_id, facility=facility
        )


class EquipmentForm(forms.ModelForm):
    class Meta:
        model = Equipment
        fields = ["name", "stock", "description"]


def registry_formsets(facility: Facility, data: Any = None) -> dict[str, forms.BaseFormSet]:
    """The facility's units, hours, rules, prices and equipment lent to associations, each
    an editable list."""
    unit_set = forms.inlineformset_factory(Facility, Unit, form=UnitForm, extra=1)
    hours_set = forms.inlineformset_factory(Facility, OpeningHours, form=HoursForm, extra=1)
    rule_set = forms.inlineformset_factory(Facility, AudienceRule, form=RuleForm, extra=1)
    price_set = forms.modelformset_factory(Price, form=PriceForm, extra=1, can_delete=True)
    equipment_set = forms.inlineformset_factory(Facility, Equipment, form=EquipmentForm, extra=1)
    scope = {"authority_id": facility.authority_id}
    return {
        "units": unit_set(
            data,
            instance=facility,
            prefix="units",
            queryset=Unit.objects.filter(**scope),
            form_kwargs={"facility": facility},
        ),
        "hours": hours_set(
            data, instance=facility, prefix="hours", queryset=OpeningHours.objects.filter(**scope)
        ),
        "rules": rule_set(
            data, instance=facility, prefix="rules", queryset=AudienceRule.objects.filter(**scope)
        ),
        "prices": price_set(
            data,
            prefix="prices",
            queryset=Price.objects.filter(**scope, unit__facility=facility),
            form_kwargs={"facility": facility},
        ),
        "equipment": equipment_set(
            data, instance=facility, prefix="equipment", queryset=Equipment.objects.filter(**scope)
        ),
    }


class MoveForm(forms.Form):
    day = forms.DateField(label=_("Nouvelle date"), widget=DATE)
    starts = forms.TimeField(label=_("Heure de début"), widget=TIME)
    ends = forms.TimeField(label=_("Heure de fin"), widget=TIME)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("La fin doit suivre le début."))
        return data


class SeriesMoveForm(forms.Form):
    starts = forms.TimeField(label=_("Nouvelle heure de début"), widget=TIME)
    ends = forms.TimeField(label=_("Nouvelle heure de fin"), widget=TIME)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("La fin doit suivre le début."))
        return data
