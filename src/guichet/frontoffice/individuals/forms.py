from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.engine.forms import CheckedFileField
from guichet.individuals.civil_status import ACT_LABELS, COPY_LABELS, RELATIONSHIP_LABELS
from guichet.individuals.models import AidKind
from guichet.individuals.school import PRIORITY_CRITERIA
from guichet.individuals.services import CivilStatusInput


def _choices(labels: dict[Any, Any]) -> list[tuple[str, Any]]:
    return [(str(key), label) for key, label in labels.items()]


class CivilStatusForm(forms.Form):
    act_type = forms.ChoiceField(
        label=_("Type d'acte"), choices=_choices(ACT_LABELS), widget=forms.RadioSelect
    )
    copy_kind = forms.ChoiceField(
        label=_("Forme de l'acte"), choices=_choices(COPY_LABELS), widget=forms.RadioSelect
    )
    relationship = forms.ChoiceField(
        label=_("Votre lien avec la personne concernée"),
        choices=_choices(RELATIONSHIP_LABELS),
        widget=forms.RadioSelect,
    )
    person_last_name = forms.CharField(label=_("Nom de la personne concernée"), max_length=150)
    person_first_names = forms.CharField(
        label=_("Prénom(s) de la personne concernée"), max_length=200
    )
    event_date = forms.DateField(
        label=_("Date de l'événement"),
        help_text=_("Au format JJ/MM/AAAA, par exemple 12/04/1990"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    event_place = forms.CharField(label=_("Lieu de l'événement"), max_length=200)
    parents = forms.CharField(
        label=_("Noms des parents"),
        help_text=_("Pour un acte de naissance, s'ils sont connus."),
        max_length=300,
        required=False,
    )
    delivery_address = forms.CharField(
        label=_("Adresse d'envoi"),
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    copies = forms.IntegerField(label=_("Nombre d'exemplaires"), min_value=1, max_value=5)

    def given(self, *, user: Any) -> CivilStatusInput:
        data = self.cleaned_data
        return CivilStatusInput(
            act_type=data["act_type"],
            copy_kind=data["copy_kind"],
            relationship=data["relationship"],
            person_last_name=data["person_last_name"],
            person_first_names=data["person_first_names"],
            event_date=data["event_date"],
            event_place=data["event_place"],
            parents=data["parents"],
            requester_first_name=user.first_name,
            requester_last_name=user.last_name,
            requester_email=user.email,
            delivery_address=data["delivery_address"],
            copies=data["copies"],
        )


class ChildForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom de l'enfant"), max_length=150)
    last_name = forms.CharField(label=_("Nom de l'enfant"), max_length=150)
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        help_text=_("Au format JJ/MM/AAAA, par exemple 12/04/1990"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    school = forms.CharField(label=_("École"), max_length=200, required=False)
    school_class = forms.CharField(label=_("Classe"), max_length=40, required=False)


class EnrolForm(forms.Form):
    child = forms.TypedChoiceField(label=_("Enfant"), coerce=int)

    def __init__(self, *args: Any, children: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(child.pk, str(child)) for child in children]


class AidApplyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Aide demandée"), choices=AidKind.choices, widget=forms.RadioSelect
    )
    household_size = forms.IntegerField(
        label=_("Nombre de personnes au foyer"), min_value=1, max_value=20
    )
    household = forms.CharField(
        label=_("Composition du foyer"),
        help_text=_("Les personnes qui vivent avec vous : nom, lien, année de naissance."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    monthly_resources = forms.DecimalField(
        label=_("Ressources mensuelles du foyer (en euros)"),
        help_text=_("Salaires, pensions, allocations : le total par mois, par exemple 1250,50"),
        min_value=Decimal(0),
        max_digits=10,
        decimal_places=2,
        localize=True,
    )


class AidDocumentForm(forms.Form):
    document = CheckedFileField(
        label=_("Fichier"),
        help_text=_("PDF, JPEG ou PNG, 5 Mo au maximum."),
        accept=("pdf", "jpeg", "png"),
        max_size_mb=5,
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message au service"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SituationChangeForm(forms.Form):
    change_date = forms.DateField(
        label=_("Date du changement"),
        help_text=_("Au format JJ/MM/AAAA, par exemple 12/04/1990"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    description = forms.CharField(
        label=_("Ce qui a changé"),
        help_text=_("Ressources, personnes au foyer, adresse, santé…"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


WEEKDAYS = [
    (0, _("lundi")),
    (1, _("mardi")),
    (2, _("mercredi")),
    (3, _("jeudi")),
    (4, _("vendredi")),
]


class ActivityEnrolForm(forms.Form):
    child = forms.TypedChoiceField(label=_("Enfant"), coerce=int)
    activity = forms.TypedChoiceField(label=_("Activité"), coerce=int)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Jours"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, children: list[Any], activities: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, prefix="activite", **kwargs)
        self.fields["child"].choices = [(child.pk, str(child)) for child in children]
        self.fields["activity"].choices = [(a.pk, a.name) for a in activities]


class QuotientDeclareForm(forms.Form):
    quotient = forms.DecimalField(
        label=_("Votre quotient familial"),
        help_text=_("Il figure sur votre attestation de la CAF, par exemple 720"),
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        localize=True,
    )
    document = CheckedFileField(
        label=_("Attestation de quotient familial"),
        help_text=_("PDF, JPEG ou PNG, 5 Mo au maximum."),
        accept=("pdf", "jpeg", "png"),
        max_size_mb=5,
    )


class CrecheRequestForm(forms.Form):
    child = forms.TypedChoiceField(label=_("Enfant"), coerce=int)
    date_needed = forms.DateField(
        label=_("Date à partir de laquelle la place est souhaitée"),
        help_text=_("Au format JJ/MM/AAAA, par exemple 12/04/1990"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Jours d'accueil"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    criteria = forms.MultipleChoiceField(
        label=_("Votre situation (critères de priorité)"),
        choices=[(code, label) for code, (_points, label) in PRIORITY_CRITERIA.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, children: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, prefix="creche", **kwargs)
        self.fields["child"].choices = [(child.pk, str(child)) for child in children]
