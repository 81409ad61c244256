"""Forms of the street reports (front and back office): they parse, services decide."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.public_space.geocoding import coordinates_parse, geocoder
from guichet.public_space.models import Category, Report


class LocationForm(forms.Form):
    """Step 1 (GET): where. The map fills the coordinates; without it, an address or
    coordinates typed by hand."""

    address = forms.CharField(
        label=_("Adresse ou repère"),
        max_length=300,
        required=False,
        help_text=_("Par exemple « 12 rue de la République » ou « 45.7640, 4.8357 »."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=Decimal(-90),
        max_value=Decimal(90),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        min_value=Decimal(-180),
        max_value=Decimal(180),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        latitude, longitude = data.get("latitude"), data.get("longitude")
        address = (data.get("address") or "").strip()
        if (latitude is None) != (longitude is None):
            raise forms.ValidationError(_("Indiquez la latitude et la longitude, ou une adresse."))
        if latitude is None:
            if not address:
                raise forms.ValidationError(
                    _("Placez le point sur la carte, ou indiquez une adresse ou des coordonnées.")
                )
            parsed = coordinates_parse(address)
            if parsed:
                data["latitude"], data["longitude"] = parsed
                data["address"] = ""
            else:
                place = geocoder().geocode(address)
                if place is not None:
                    data["latitude"], data["longitude"] = place.latitude, place.longitude
                    data["address"] = place.label or address
        elif not address:
            data["address"] = geocoder().reverse(latitude, longitude)
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(item, initial) for item in files]


class ReportForm(forms.Form):
    """Step 2 (POST): what, photos, extra questions, optional contact."""

    address = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)
    latitude = forms.DecimalField(
        widget=forms.HiddenInput, required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        widget=forms.HiddenInput, required=False, max_digits=9, decimal_places=6
    )
    description = forms.CharField(
        label=_("Description du problème"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photos = PhotosField(
        label=_("Photos (trois au plus)"),
        required=False,
        help_text=_("JPEG ou PNG. Leur position et l'appareil utilisé en sont retirés."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    contact_name = forms.CharField(
        label=_("Votre nom (facultatif)"), max_length=150, required=False
    )
    contact_email = forms.EmailField(
        label=_("Votre courriel (facultatif)"),
        required=False,
        help_text=_(
            "Pour être prévenu de la réparation. Sans courriel, le signalement est anonyme."
        ),
    )
    contact_phone = forms.CharField(
        label=_("Votre téléphone (facultatif)"), max_length=20, required=False
    )

    def __init__(self, *args: Any, category: Category, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.category = category
        for question in category.questions:
            name = f"attribute_{question['code']}"
            required = bool(question.get("required"))
            choices = [(v["key"], v["name"]) for v in question.get("values", [])]
            kind = question.get("type", "string")
            if kind == "singlevaluelist":
                field: forms.Field = forms.ChoiceField(
                    choices=[("", "—"), *choices], required=required
                )
            elif kind == "multivaluelist":
                field = forms.MultipleChoiceField(
                    choices=choices, required=required, widget=forms.CheckboxSelectMultiple
                )
            elif kind == "number":
                field = forms.DecimalField(required=required)
            elif kind == "text":
                field = forms.CharField(required=required, widget=forms.Textarea(attrs={"rows": 2}))
            else:
                field = forms.CharField(required=required, max_length=300)
            field.label = question["label"]
            self.fields[name] = field
        self.order_fields(["description", *[n for n in self.fields if n.startswith("attribute_")]])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("latitude") is None and not (data.get("address") or "").strip():
            raise forms.ValidationError(_("Indiquez d'abord l'emplacement."))
        return data

    def answers(self) -> dict[str, Any]:
        return {
            name.removeprefix("attribute_"): value if isinstance(value, list) else str(value or "")
            for name, value in self.cleaned_data.items()
            if name.startswith("attribute_")
        }


class FollowForm(forms.Form):
    email = forms.EmailField(label=_("Votre courriel"))


class PublicFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("", _("Tous")), ("open", _("En cours")), ("closed", _("Clos"))],
    )
    category = forms.ChoiceField(label=_("Catégorie"), required=False)

    def __init__(self, *args: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("Toutes")),
            *[(c.code, c.name) for c in categories],
        ]


class RejectForm(forms.Form):
    competent_body = forms.CharField(
        label=_("Organisme compétent"),
        max_length=200,
        help_text=_("Par exemple : Département du Rhône, service des routes départementales."),
    )
    message = forms.CharField(
        label=_("Message à la personne"), widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Numéro du signalement à conserver"), max_length=32)


class RerouteForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Nouvelle catégorie"), queryset=Category.objects.none()
    )

    def __init__(self, *args: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class AgentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("open", _("En cours")), ("closed", _("Clos")), ("all", _("Tous"))],
    )


__all__ = ["Report"]


QUESTION_TYPES = {"string", "number", "text", "singlevaluelist", "multivaluelist"}


class CategoryForm(forms.ModelForm):
    """An administrator's category; the extra questions as JSON (a list of questions)."""

    questions = forms.JSONField(
        label=_("Questions complémentaires (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            'Une liste de {"code", "label", "type", "required", "values": [{"key", "name"}]} ; '
            "type parmi string, number, text, singlevaluelist, multivaluelist."
        ),
    )

    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "description",
            "group",
            "keywords",
            "service",
            "questions",
            "is_active",
            "position",
        ]

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services

    def clean_questions(self) -> list[dict[str, Any]]:
        questions = self.cleaned_data.get("questions") or []
        error = forms.ValidationError(
            _(
                "Chaque question a un code, un libellé et un type connu ; les listes ont des valeurs."
            )
        )
        if not isinstance(questions, list):
            raise error
        codes = set()
        for question in questions:
            if (
                not isinstance(question, dict)
                or not question.get("code")
                or not question.get("label")
            ):
                raise error
            kind = question.get("type", "string")
            if kind not in QUESTION_TYPES or question["code"] in codes:
                raise error
            values = question.get("values", [])
            if kind.endswith("valuelist") and not (
                values
                and all(isinstance(v, dict) and v.get("key") and v.get("name") for v in values)
            ):
                raise error
            codes.add(question["code"])
        return questions


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Application cliente"),
        max_length=200,
        help_text=_("Par exemple : FixMyStreet, application mobile de la ville."),
    )
