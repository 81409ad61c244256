"""Django forms built from a procedure page's field definitions."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from guichet.engine import validators
from guichet.engine.definitions import FieldDef, Page

YES_NO = [("yes", _("Oui")), ("no", _("Non"))]


class PhoneField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return validators.phone_normalise(value) if value else ""


class SiretField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return validators.siret_normalise(value) if value else ""


class IbanField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return validators.iban_normalise(value) if value else ""


class MapPointField(forms.CharField):
    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return validators.map_point_parse(value) if value else ""


class CheckedFileField(forms.FileField):
    def __init__(self, *, accept: tuple[str, ...], max_size_mb: int, **kwargs: Any) -> None:
        self.accept, self.max_size_mb = accept, max_size_mb
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            upload.sniffed_type = validators.upload_check(  # type: ignore[attr-defined]
                upload, accept=self.accept, max_size_mb=self.max_size_mb
            )
        return upload


def _accept_attr(accept: tuple[str, ...]) -> str:
    extensions = {"jpeg": ".jpg,.jpeg"}
    return ",".join(extensions.get(kind, f".{kind}") for kind in accept)


def form_field(spec: FieldDef, *, required: bool) -> forms.Field:  # noqa: C901 - one branch a type
    common: dict[str, Any] = {"label": spec.label, "help_text": spec.help, "required": required}
    match spec.type:
        case "text":
            return forms.CharField(max_length=500, **common)
        case "textarea":
            return forms.CharField(
                max_length=10000, widget=forms.Textarea(attrs={"rows": 5}), **common
            )
        case "email":
            return forms.EmailField(
                widget=forms.EmailInput(attrs={"autocomplete": "email"}), **common
            )
        case "phone":
            return PhoneField(
                widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}), **common
            )
        case "number":
            return forms.DecimalField(min_value=spec.min_value, max_value=spec.max_value, **common)
        case "amount":
            return forms.DecimalField(
                min_value=spec.min_value if spec.min_value is not None else 0,
                max_value=spec.max_value,
                decimal_places=2,
                max_digits=12,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                **common,
            )
        case "date":
            return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        case "yes_no":
            return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
        case "choice":
            widget = forms.RadioSelect if len(spec.choices) <= 6 else forms.Select
            choices = (
                list(spec.choices) if widget is forms.RadioSelect else [("", "—"), *spec.choices]
            )
            return forms.ChoiceField(choices=choices, widget=widget, **common)
        case "multiple_choice":
            return forms.MultipleChoiceField(
                choices=spec.choices, widget=forms.CheckboxSelectMultiple, **common
            )
        case "address":
            return forms.CharField(
                max_length=300,
                widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
                **common,
            )
        case "map_point":
            return MapPointField(
                max_length=60,
                widget=forms.TextInput(
                    attrs={"data-map-point": "1", "placeholder": "48.8566, 2.3522"}
                ),
                **common,
            )
        case "file":
            return CheckedFileField(
                accept=spec.accept,
                max_size_mb=spec.max_size_mb,
                widget=forms.ClearableFileInput(attrs={"accept": _accept_attr(spec.accept)}),
                **common,
            )
        case "siret":
            return SiretField(max_length=20, **common)
        case "iban":
            return IbanField(max_length=42, **common)
    raise ValueError(spec.type)


def to_json(value: Any, kind: str = "") -> Any:
    """A cleaned value as stored in the case's answers; `kind` is the field's type (only a
    yes/no field turns "yes" and "no" into booleans: a text may well say "no")."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if kind == "yes_no" and value in ("yes", "no"):
        return value == "yes"
    return value


def from_json(spec: FieldDef, value: Any) -> Any:
    """The form's initial value for a stored answer."""
    if spec.type == "yes_no" and isinstance(value, bool):
        return "yes" if value else "no"
    if spec.type == "file":
        return None
    return value


def _group_form_class(spec: FieldDef) -> type[forms.Form]:
    fields = {sub.name: form_field(sub, required=False) for sub in spec.fields}
    return type(f"Group_{spec.name}", (forms.Form,), fields)


class PageForm:
    """One page of a procedure: a plain form plus a formset per repeatable group.

    A field whose `show_if` condition depends on an answer is only required, and only
    kept, when the condition holds on the answers known so far plus this page's input.
    """

    def __init__(
        self,
        *,
        page: Page,
        answers: dict[str, Any],
        data: Any = None,
        files: Any = None,
        extra_rows: dict[str, int] | None = None,
    ) -> None:
        self.page = page
        self.answers = answers
        self.bound = data is not None
        visible_now = self._answers_with(data)
        fields = {}
        initial = {}
        for spec in page.fields:
            if not spec.has_input or spec.type == "group":
                continue
            already_has_file = spec.type == "file" and bool(answers.get(spec.name))
            required = spec.required and spec.is_shown(visible_now) and not already_has_file
            fields[spec.name] = form_field(spec, required=required)
            if spec.name in answers:
                initial[spec.name] = from_json(spec, answers[spec.name])
        self.form = type("Page", (forms.Form,), fields)(data=data, files=files, initial=initial)
        self.groups: dict[str, forms.BaseFormSet] = {}
        for spec in page.fields:
            if spec.type != "group":
                continue
            rows = answers.get(spec.name) or []
            extra = (extra_rows or {}).get(spec.name, 0) + (0 if rows else 1)
            formset_class = forms.formset_factory(
                _group_form_class(spec), extra=extra, max_num=spec.max_rows, validate_max=True
            )
            self.groups[spec.name] = formset_class(
                data=data, prefix=spec.name, initial=rows if data is None else None
            )

    def _answers_with(self, data: Any) -> dict[str, Any]:
        merged = dict(self.answers)
        if data is not None:
            for spec in self.page.fields:
                if spec.has_input and spec.name in data:
                    value = (
                        data.getlist(spec.name)
                        if spec.type == "multiple_choice"
                        else data.get(spec.name)
                    )
                    merged[spec.name] = to_json(value, spec.type)
        return merged

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        for formset in self.groups.values():
            valid = formset.is_valid() and valid
        return valid

    def valid_answers(self) -> dict[str, Any]:
        """The answers that passed validation (even when others failed), files excepted."""
        answers: dict[str, Any] = {}
        cleaned = getattr(self.form, "cleaned_data", {})
        merged = self._answers_with(self.form.data if self.bound else None)
        for spec in self.page.fields:
            if not spec.has_input or spec.type == "file":
                continue
            if not spec.is_shown(merged):
                answers[spec.name] = None
            elif spec.type == "group":
                formset = self.groups[spec.name]
                if formset.is_bound and formset.is_valid():
                    kinds = {sub.name: sub.type for sub in spec.fields}
                    answers[spec.name] = [
                        {k: to_json(v, kinds.get(k, "")) for k, v in row.items()}
                        for row in formset.cleaned_data
                        if row and any(v not in (None, "") for v in row.values())
                    ]
            elif spec.name in cleaned:
                answers[spec.name] = to_json(cleaned[spec.name], spec.type)
        return answers

    def uploads(self) -> dict[str, UploadedFile]:
        cleaned = getattr(self.form, "cleaned_data", {})
        return {
            spec.name: cleaned[spec.name]
            for spec in self.page.fields
            if spec.type == "file" and isinstance(cleaned.get(spec.name), UploadedFile)
        }

    def fields_in_order(self) -> list[tuple[FieldDef, Any]]:
        """(definition, bound field or formset) in page order, for the template."""
        items: list[tuple[FieldDef, Any]] = []
        for spec in self.page.fields:
            if spec.type == "group":
                items.append((spec, self.groups[spec.name]))
            elif spec.has_input:
                items.append((spec, self.form[spec.name]))
            else:
                items.append((spec, None))
        return items

    @property
    def errors_count(self) -> int:
        count = len(self.form.errors)
        for formset in self.groups.values():
            count += sum(1 for errors in formset.errors if errors) + len(formset.non_form_errors())
        return count


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Several supporting documents at once, each sniffed and size-checked."""

    def __init__(
        self,
        *,
        accept: tuple[str, ...] = ("pdf", "jpeg", "png"),
        max_size_mb: int = 10,
        **kwargs: Any,
    ) -> None:
        self.accept, self.max_size_mb = accept, max_size_mb
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": _accept_attr(accept)}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for upload in files:
            upload.sniffed_type = validators.upload_check(  # type: ignore[attr-defined]
                upload, accept=self.accept, max_size_mb=self.max_size_mb
            )
        return list(files)
