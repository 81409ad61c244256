"""The problem report form, the same in the front office and the back office."""

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.engine.validators import upload_check
from guichet.facilities.models import Unit


class FacilityReportForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=_("Espace concerné"), coerce=int, required=False, empty_value=None
    )
    description = forms.CharField(
        label=_("Problème constaté"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Où, quoi : « fuite d'eau dans le vestiaire des filles »."),
    )
    photo = forms.FileField(
        label=_("Photo (facultative)"),
        required=False,
        help_text=_("JPEG ou PNG, 5 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    request_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [
            ("", _("— tout l'équipement —")),
            *((unit.pk, "\u2003" * getattr(unit, "depth", 0) + unit.name) for unit in units),
        ]
        if not self.is_bound:
            self.initial.setdefault("request_key", secrets.token_urlsafe(16))

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        if upload:
            upload_check(upload, accept=("jpeg", "png"), max_size_mb=5)
        return upload
