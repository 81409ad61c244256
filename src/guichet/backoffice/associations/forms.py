"""Forms of the subsidy instruction. Choices come from the authority's own data."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.associations.fields import DATE, AmountField
from guichet.associations.models import Opinion


class CallForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    opens_on = forms.DateField(label=_("Ouverture"), widget=DATE)
    closes_on = forms.DateField(label=_("Clôture"), widget=DATE)
    envelope = AmountField(label=_("Enveloppe budgétaire (€)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("La date de clôture doit suivre la date d'ouverture."))
        return data


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    meets_on = forms.DateField(label=_("Date de la séance"), widget=DATE)
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)


class EligibilityForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire pour l'association"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire pour une demande irrecevable."),
    )


class OpinionRequestForm(forms.Form):
    services = forms.ModelMultipleChoiceField(
        label=_("Services consultés"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    question = forms.CharField(
        label=_("Question posée"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services  # type: ignore[attr-defined]


class OpinionForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Avis"), choices=Opinion.Verdict.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Motivation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un avis réservé ou défavorable."),
    )


class ScheduleForm(forms.Form):
    session = forms.ModelChoiceField(label=_("Séance de commission"), queryset=None)
    amount_proposed = AmountField(label=_("Montant proposé par le service (€)"))

    def __init__(self, *args: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("grant", _("Accorder")), ("refuse", _("Refuser"))],
        widget=forms.RadioSelect,
    )
    amount = AmountField(label=_("Montant accordé (€)"), required=False)
    votes_for = forms.IntegerField(label=_("Voix pour"), min_value=0)
    votes_against = forms.IntegerField(label=_("Voix contre"), min_value=0)
    votes_abstaining = forms.IntegerField(label=_("Abstentions"), min_value=0)
    comment = forms.CharField(
        label=_("Motivation (dans la lettre de notification)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == "grant" and not data.get("amount"):
            self.add_error("amount", _("Saisissez le montant accordé."))
        if data.get("decision") == "refuse":
            data["amount"] = Decimal("0")
            if not (data.get("comment") or "").strip():
                self.add_error("comment", _("Motivez le refus."))
        return data


class InstalmentPayForm(forms.Form):
    paid_on = forms.DateField(label=_("Payé le"), widget=DATE)
