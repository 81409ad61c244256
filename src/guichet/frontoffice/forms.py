from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from guichet.engine.models import Satisfaction


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class MagicLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class RegisterForm(forms.Form):
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        help_text=_("Au moins 8 caractères, pas uniquement des chiffres."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class TrackingForm(forms.Form):
    number = forms.CharField(
        label=_("Numéro du dossier"), max_length=32, help_text=_("Par exemple 2026-ACTE-000012")
    )
    tracking_code = forms.CharField(
        label=_("Code de suivi"),
        max_length=14,
        help_text=_("10 caractères, reçus avec l'accusé de réception"),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DocumentsForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SatisfactionForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Comment s'est passée votre démarche ?"),
        choices=Satisfaction.Rating.choices,
        widget=forms.RadioSelect,
    )
    understood = forms.TypedChoiceField(
        label=_("Avez-vous compris les étapes et la décision ? (1 : pas du tout, 5 : tout à fait)"),
        choices=[(str(i), str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )


class StartForm(forms.Form):
    """Who the request is for: anyone may file for someone else (a relative, a neighbour)."""

    for_whom = forms.ChoiceField(
        label=_("Pour qui faites-vous cette démarche ?"),
        choices=[("self", _("Pour moi")), ("other", _("Pour une autre personne"))],
        initial="self",
        widget=forms.RadioSelect,
    )
    first_name = forms.CharField(label=_("Prénom de la personne"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Nom de la personne"), required=False, max_length=150)
    email = forms.EmailField(
        label=_("Courriel de la personne (facultatif)"),
        required=False,
        help_text=_(
            "Elle recevra le numéro et le code de suivi, et pourra reprendre le dossier dans son propre compte."
        ),
    )
    phone = forms.CharField(
        label=_("Téléphone de la personne (facultatif)"), required=False, max_length=20
    )

    def clean(self) -> dict[str, str]:
        cleaned = super().clean() or {}
        if cleaned.get("for_whom") == "other":
            for name in ("first_name", "last_name"):
                if not cleaned.get(name, "").strip():
                    self.add_error(
                        name, _("Indiquez-le pour une demande faite pour une autre personne.")
                    )
        return cleaned

    def contact(self) -> dict[str, str]:
        if self.cleaned_data["for_whom"] != "other":
            return {}
        return {
            key: self.cleaned_data[key].strip()
            for key in ("first_name", "last_name", "email", "phone")
            if self.cleaned_data[key].strip()
        }
