"""Agents' forms for operations: they validate input; services write."""

import datetime
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret as stdnum_siret

from guichet.accounts.models import Service, User
from guichet.engine.forms import CheckedFileField
from guichet.real_estate.models import Contract, Invoice, Operation, Phase, Reservation, Risk
from guichet.real_estate.models import WorksNotice as Notice

PARCEL = re.compile(r"^(\d{3} )?[A-Z0-9]{1,2} ?\d{1,4}$")
VAT_RATES = [("20.00", "20 %"), ("10.00", "10 %"), ("5.50", "5,5 %"), ("0.00", "0 %")]
MONEY = {"max_digits": 14, "decimal_places": 2}


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return value.isoformat()
        return super().format_value(value)


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput)


def _money(label: Any, *, required: bool = True, min_value: Decimal | None = None) -> Any:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=min_value,
        help_text=_("En euros, par exemple 12500,00"),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **MONEY,
    )


class OperationForm(forms.Form):
    name = forms.CharField(label=_("Nom de l'opération"), max_length=200)
    kind = forms.ChoiceField(label=_("Nature des travaux"), choices=Operation.Kind.choices)
    programme = forms.CharField(label=_("Programme"), max_length=200, required=False)
    address = forms.CharField(label=_("Adresse du site"), max_length=300)
    cadastral_parcel = forms.CharField(
        label=_("Parcelle cadastrale"),
        max_length=40,
        required=False,
        help_text=_("Section et numéro, par exemple AB 0123"),
    )
    description = forms.CharField(
        label=_("Description pour les habitants"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    service = forms.ChoiceField(label=_("Service conducteur"))
    lead = forms.ChoiceField(label=_("Conducteur d'opération"), required=False)
    requesting_service = forms.ChoiceField(label=_("Service demandeur"), required=False)
    start = _date(_("Début de la programmation"))
    is_public = forms.BooleanField(
        label=_("Publier une page pour les habitants"), required=False, initial=True
    )

    def __init__(
        self,
        *args: Any,
        services: list[Service],
        agents: list[User],
        all_services: list[Service],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.services = {str(s.pk): s for s in services}
        self.agents = {str(a.pk): a for a in agents}
        self.all_services = {str(s.pk): s for s in all_services}
        self.fields["service"].choices = [(k, s.name) for k, s in self.services.items()]
        self.fields["lead"].choices = [("", "—")] + [
            (k, a.display_name) for k, a in self.agents.items()
        ]
        self.fields["requesting_service"].choices = [("", "—")] + [
            (k, s.name) for k, s in self.all_services.items()
        ]

    def clean_cadastral_parcel(self) -> str:
        value = " ".join(self.cleaned_data["cadastral_parcel"].upper().split())
        if value and not PARCEL.match(value):
            raise ValidationError(_("Saisissez la section et le numéro, par exemple AB 0123."))
        return value

    def chosen(self) -> tuple[Service | None, User | None, Service | None]:
        data = self.cleaned_data
        return (
            self.services.get(data.get("service", "")),
            self.agents.get(data["lead"]),
            self.all_services.get(data.get("requesting_service", "")),
        )


class PhaseForm(forms.Form):
    planned_start = _date(_("Début prévu"))
    planned_end = _date(_("Fin prévue"))
    actual_start = _date(_("Début réel"), required=False)
    actual_end = _date(_("Fin réelle"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("La fin prévue précède le début prévu."))
        actual_start, actual_end = data.get("actual_start"), data.get("actual_end")
        if actual_end and not actual_start:
            self.add_error("actual_start", _("Indiquez aussi le début réel."))
        elif actual_start and actual_end and actual_end < actual_start:
            self.add_error("actual_end", _("La fin réelle précède le début réel."))
        return data


class MilestoneForm(forms.Form):
    name = forms.CharField(label=_("Jalon"), max_length=200)
    planned_on = _date(_("Date prévue"))
    achieved_on = _date(_("Date atteinte"), required=False)


class DecisionForm(forms.Form):
    reference = forms.CharField(label=_("Numéro de délibération"), max_length=40)
    decided_on = _date(_("Date de la séance"))
    title = forms.CharField(label=_("Objet"), max_length=300)
    file = CheckedFileField(label=_("Délibération (PDF)"), accept=("pdf",), max_size_mb=10)


class ReservationForm(forms.Form):
    description = forms.CharField(label=_("Réserve"), max_length=300)
    noted_on = _date(_("Émise le"))


class ReservationLiftForm(forms.Form):
    reservation = forms.ModelChoiceField(label=_("Réserve"), queryset=Reservation.objects.none())
    lifted_on = _date(_("Levée le"))

    def __init__(self, *args: Any, operation: Operation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reservation"]
        field.queryset = operation.reservations.filter(lifted_on__isnull=True)  # type: ignore[attr-defined]


def _year_fields(form: forms.Form, years: list[int], initial: dict[int, Decimal]) -> None:
    for year in years:
        form.fields[f"cp_{year}"] = _money(
            _("Crédits de paiement %(year)s") % {"year": year},
            required=False,
            min_value=Decimal(0),
        )
        if year in initial:
            form.fields[f"cp_{year}"].initial = initial[year]


class _ScheduleMixin:
    years: list[int]
    cleaned_data: dict[str, Any]

    def schedule(self) -> dict[int, Decimal]:
        return {year: self.cleaned_data.get(f"cp_{year}") or Decimal("0.00") for year in self.years}


class BudgetVoteForm(_ScheduleMixin, forms.Form):
    reference = forms.CharField(label=_("Numéro de l'autorisation de programme"), max_length=40)
    amount = _money(_("Montant de l'AP (TTC)"), min_value=Decimal(0))
    voted_on = _date(_("Votée le"))

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        _year_fields(self, years, {})


class BudgetReviseForm(_ScheduleMixin, forms.Form):
    amount = _money(_("Nouveau montant de l'AP (TTC)"), min_value=Decimal(0))
    reason = forms.CharField(label=_("Motif de la révision"), max_length=300)
    decided_on = _date(_("Décidée le"))

    def __init__(
        self, *args: Any, years: list[int], current: dict[int, Decimal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        _year_fields(self, years, current)


def siret_field_clean(value: str) -> str:
    compact = stdnum_siret.compact(value)
    if not stdnum_siret.is_valid(compact):
        raise ValidationError(_("Ce numéro SIRET n'est pas valide (14 chiffres, clé de Luhn)."))
    return compact


class ContractForm(forms.Form):
    lot_number = forms.IntegerField(
        label=_("Numéro de lot"),
        min_value=0,
        max_value=99,
        help_text=_("0 pour la maîtrise d'œuvre"),
    )
    lot_name = forms.CharField(label=_("Intitulé du lot"), max_length=200)
    contractor_name = forms.CharField(label=_("Titulaire"), max_length=200)
    contractor_siret = forms.CharField(label=_("SIRET du titulaire"), max_length=20)
    amount_ht = _money(_("Montant HT"), min_value=Decimal(0))
    vat_rate = forms.ChoiceField(label=_("Taux de TVA"), choices=VAT_RATES)
    signed_on = _date(_("Notifié le"))

    def clean_contractor_siret(self) -> str:
        return siret_field_clean(self.cleaned_data["contractor_siret"])


class _ContractChoiceForm(forms.Form):
    contract = forms.ModelChoiceField(label=_("Marché"), queryset=Contract.objects.none())

    def __init__(self, *args: Any, operation: Operation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = operation.contracts.all()  # type: ignore[attr-defined]
        self.order_fields(["contract"])


class AmendmentForm(_ContractChoiceForm):
    amount_ht = _money(_("Montant HT de l'avenant (négatif pour une moins-value)"))
    reason = forms.CharField(label=_("Objet de l'avenant"), max_length=300)
    signed_on = _date(_("Signé le"))


class InvoiceForm(_ContractChoiceForm):
    number = forms.CharField(label=_("Numéro de facture"), max_length=40)
    received_on = _date(_("Reçue le"), required=True)
    amount_ht = _money(_("Montant HT"), min_value=Decimal(0))


class InvoiceStepForm(forms.Form):
    invoice = forms.ModelChoiceField(label=_("Facture"), queryset=Invoice.objects.none())
    on = _date(_("Date"))

    def __init__(self, *args: Any, operation: Operation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invoice"].queryset = Invoice.objects.filter(  # type: ignore[attr-defined]
            contract__operation=operation
        )


class RiskForm(forms.Form):
    title = forms.CharField(label=_("Risque"), max_length=200)
    probability = forms.TypedChoiceField(
        label=_("Probabilité"), choices=Risk.Level.choices, coerce=int
    )
    impact = forms.TypedChoiceField(label=_("Impact"), choices=Risk.Level.choices, coerce=int)
    mitigation = forms.CharField(
        label=_("Mesures prévues"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RiskCloseForm(forms.Form):
    risk = forms.ModelChoiceField(label=_("Risque"), queryset=Risk.objects.none())

    def __init__(self, *args: Any, operation: Operation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = operation.risks.filter(is_closed=False)  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    phase = forms.ModelChoiceField(
        label=_("Phase"), queryset=Phase.objects.none(), required=False, empty_label="—"
    )
    title = forms.CharField(label=_("Titre du document"), max_length=200)
    file = CheckedFileField(
        label=_("Fichier"), accept=("pdf", "odt", "docx", "jpeg", "png"), max_size_mb=20
    )

    def __init__(self, *args: Any, operation: Operation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = operation.phases.all()  # type: ignore[attr-defined]


class PhotoForm(forms.Form):
    image = CheckedFileField(label=_("Photo (JPEG ou PNG)"), accept=("jpeg", "png"), max_size_mb=10)
    caption = forms.CharField(
        label=_("Description de la photo"),
        max_length=200,
        help_text=_("Ce que montre la photo, lu aux personnes aveugles"),
    )
    taken_on = _date(_("Prise le"))
    is_public = forms.BooleanField(
        label=_("Montrer sur la page publique"), required=False, initial=True
    )


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type d'avis"), choices=Notice.Kind.choices)
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = forms.CharField(label=_("Texte"), widget=forms.Textarea(attrs={"rows": 4}))
    starts_on = _date(_("Du"))
    ends_on = _date(_("Au"), required=False)


class ExportForm(forms.Form):
    what = forms.ChoiceField(
        choices=[("operations", "operations"), ("contracts", "contracts"), ("invoices", "invoices")]
    )
    format = forms.ChoiceField(choices=[("csv", "csv"), ("xlsx", "xlsx"), ("ods", "ods")])
