"""Forms of the associations' front office: they validate, the services write."""

import secrets
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Organisation, Representative
from guichet.associations.budget import CHARGE_CATEGORIES, RESOURCE_CATEGORIES, BudgetEntry
from guichet.associations.fields import DATE, AmountField, IbanField, RnaField, SiretField
from guichet.associations.models import VaultDocument
from guichet.engine.forms import CheckedFileField

ROLES = Representative.Role.choices


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Nom de l'organisation"), max_length=200)
    siret = SiretField(
        label=_("Numéro SIRET"),
        max_length=20,
        help_text=_("14 chiffres, sur l'avis de situation INSEE ou l'annuaire des entreprises."),
    )
    rna = RnaField(
        label=_("Numéro RNA (associations)"),
        max_length=12,
        required=False,
        help_text=_("W suivi de 9 chiffres, sur le récépissé de déclaration en préfecture."),
    )
    address = forms.CharField(
        label=_("Adresse du siège"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    purpose = forms.CharField(
        label=_("Objet"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    role = forms.ChoiceField(label=_("Votre rôle"), choices=ROLES, widget=forms.RadioSelect)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse électronique de la personne invitée"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Son rôle"), choices=ROLES, widget=forms.RadioSelect)


class ActingAsForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Vous agissez pour"), coerce=int, empty_value=0)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (0, _("Moi-même (particulier)")),
            *[(o.pk, o.name) for o in organisations],
        ]


class VaultDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=VaultDocument.Kind.choices)
    file = CheckedFileField(
        label=_("Fichier (PDF, JPEG ou PNG, 10 Mo maximum)"),
        accept=("pdf", "jpeg", "png"),
        max_size_mb=10,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    valid_until = forms.DateField(
        label=_("Valable jusqu'au"),
        required=False,
        widget=DATE,
        help_text=_(
            "Laissez vide pour un document sans date de fin (statuts). "
            "Un rappel vous est envoyé avant l'échéance."
        ),
    )
    iban = IbanField(
        label=_("IBAN (relevé d'identité bancaire seulement)"),
        max_length=42,
        required=False,
        help_text=_("Par exemple FR76 3000 6000 0112 3456 7890 189"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        is_bank = data.get("kind") == VaultDocument.Kind.BANK_DETAILS
        if is_bank and not data.get("iban") and "iban" not in self.errors:
            self.add_error("iban", _("Saisissez l'IBAN du relevé bancaire."))
        return data


class ProjectForm(forms.Form):
    """The CERFA 12156's project and amounts; the budget lines are two formsets beside it."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    project_title = forms.CharField(label=_("Intitulé du projet"), max_length=200)
    project_goals = forms.CharField(
        label=_("Objectifs du projet"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    project_public = forms.CharField(
        label=_("Public bénéficiaire"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Qui, combien de personnes, quel âge"),
    )
    project_place = forms.CharField(label=_("Lieu de réalisation"), max_length=300)
    starts_on = forms.DateField(label=_("Date de début"), widget=DATE)
    ends_on = forms.DateField(label=_("Date de fin"), widget=DATE)
    amount_requested = AmountField(
        label=_("Montant demandé à la collectivité (€)"), min_value=Decimal("1")
    )
    other_funders = forms.CharField(
        label=_("Autres financeurs sollicités"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Reportez aussi leurs montants dans les produits du budget."),
    )
    sworn_statement = forms.BooleanField(
        label=_(
            "Je déclare sur l'honneur que l'association est à jour de ses obligations sociales "
            "et fiscales et que les informations de ce dossier sont exactes."
        )
    )

    @staticmethod
    def new_key() -> str:
        return uuid.uuid4().hex

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("La date de fin doit suivre la date de début."))
        return data


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Compte"), required=False)
    label = forms.CharField(label=_("Libellé"), max_length=200, required=False)
    amount = AmountField(label=_("Montant (€)"), required=False)

    def __init__(self, *args: Any, categories: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *categories]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        filled = [data.get("category"), data.get("label"), data.get("amount")]
        if any(v not in (None, "") for v in filled):
            for name in ("category", "label", "amount"):
                if data.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("À remplir pour cette ligne."))
        return data


class BaseBudgetFormSet(forms.BaseFormSet):
    categories: list[tuple[str, Any]] = []
    side = ""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"categories": self.categories}

    def entries(self) -> list[BudgetEntry]:
        return [
            BudgetEntry(
                self.side,
                f.cleaned_data["category"],
                f.cleaned_data["label"],
                f.cleaned_data["amount"],
            )
            for f in self.forms
            if f.cleaned_data.get("amount") is not None and f.cleaned_data.get("category")
        ]


class ChargeFormSet(forms.formset_factory(BudgetLineForm, formset=BaseBudgetFormSet, extra=6)):  # type: ignore[misc]
    categories = CHARGE_CATEGORIES
    side = "charge"


class ResourceFormSet(forms.formset_factory(BudgetLineForm, formset=BaseBudgetFormSet, extra=4)):  # type: ignore[misc]
    categories = RESOURCE_CATEGORIES
    side = "resource"


MAX_LINES = 30
BUDGET_FIELDS = ("category", "label", "amount")


def _lines(data: Any, prefix: str) -> list[dict[str, str]]:
    try:
        count = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_LINES)
    except ValueError:
        count = 0
    return [
        {name: data.get(f"{prefix}-{i}-{name}", "") for name in BUDGET_FIELDS} for i in range(count)
    ]


def apply_forms_with_more_lines(data: Any, more: int = 2) -> dict[str, Any]:
    """The application form as typed (unbound, so that no error shows yet) with `more`
    empty lines in each budget table."""
    project = ProjectForm(initial={name: data.get(name, "") for name in ProjectForm.base_fields})
    tables = {}
    for key, formset_class in (("charges", ChargeFormSet), ("resources", ResourceFormSet)):
        lines = _lines(data, key)
        lines += [{}] * max(0, min(more, MAX_LINES - len(lines)))
        fixed = type(formset_class.__name__, (formset_class,), {"extra": 0})
        tables[key] = fixed(initial=lines, prefix=key)
    return {"form": project, **tables}


class FinalReportForm(forms.Form):
    actions_done = forms.CharField(
        label=_("Actions réalisées"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce qui a été fait, quand, avec qui ; les objectifs atteints."),
    )
    public_reached = forms.IntegerField(label=_("Nombre de bénéficiaires"), min_value=0)
    charges_executed = AmountField(label=_("Total des charges réalisées (€)"))
    resources_executed = AmountField(label=_("Total des produits réalisés (€)"))
    gaps_explained = forms.CharField(
        label=_("Explication des écarts avec le budget prévisionnel"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LoanRequestForm(forms.Form):
    """Rooms and equipment of the facilities registry, asked for whole days: a box per room,
    a quantity per piece of equipment (0 or empty: not asked)."""

    starts_on = forms.DateField(label=_("Du"), widget=DATE)
    ends_on = forms.DateField(label=_("Au (inclus)"), widget=DATE)
    purpose = forms.CharField(label=_("Pour quoi faire"), max_length=300)
    request_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, rooms: list[Any], equipment: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rooms = {f"room_{unit.pk}": unit for unit in rooms}
        self.equipment = {f"equipment_{piece.pk}": piece for piece in equipment}
        for name, unit in self.rooms.items():
            self.fields[name] = forms.BooleanField(label=str(unit), required=False)
        for name, piece in self.equipment.items():
            self.fields[name] = forms.IntegerField(
                label=_("%(item)s (%(stock)s au plus)")
                % {"item": piece.name, "stock": piece.stock},
                help_text=piece.description,
                min_value=0,
                max_value=piece.stock,
                required=False,
            )
        if not self.is_bound:
            self.initial.setdefault("request_key", secrets.token_urlsafe(16))

    def room_fields(self) -> list[Any]:
        return [self[name] for name in self.rooms]

    def equipment_fields(self) -> list[Any]:
        return [self[name] for name in self.equipment]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("La date de fin doit suivre la date de début."))
        if not self.chosen_rooms() and not self.chosen_equipment():
            raise forms.ValidationError(_("Choisissez au moins une salle ou un matériel."))
        return data

    def chosen_rooms(self) -> list[Any]:
        return [unit for name, unit in self.rooms.items() if self.cleaned_data.get(name)]

    def chosen_equipment(self) -> list[tuple[Any, int]]:
        return [
            (piece, self.cleaned_data[name])
            for name, piece in self.equipment.items()
            if self.cleaned_data.get(name)
        ]
