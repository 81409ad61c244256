"""Form fields for the identifiers and amounts of legal persons, shared by both offices."""

from decimal import Decimal
from typing import Any

from django import forms

from guichet.accounts.identifiers import iban_normalise, rna_normalise, siret_normalise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AmountField(forms.DecimalField):
    """Euros with two decimals; "1 500,50" is read as 1500.50."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(
            max_digits=12,
            decimal_places=2,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **kwargs,
        )

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
            value = value.replace("€", "").replace(",", ".")
        return super().to_python(value)


class SiretField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return siret_normalise(value) if value else ""


class RnaField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return rna_normalise(value) if value else ""


class IbanField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return iban_normalise(value) if value else ""
