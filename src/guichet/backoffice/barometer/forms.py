from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.barometer.maturity import STRATA, STRATUM_LABELS, level
from guichet.barometer.questionnaire import (
    CHOICE,
    INTEGER,
    LEVEL,
    MULTIPLE,
    OPTION_LABELS,
    STRATUM,
    TEMPLATES,
    Template,
)
from guichet.barometer.rendering import FORMATS

NOT_APPLICABLE = ("", _("— sans objet —"))


class QuestionnaireForm(forms.Form):
    """The questionnaire's items that apply to the authority's stratum; every answer is
    optional (empty = not applicable)."""

    def __init__(self, *args: Any, template: Template, stratum: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        for item in template.items:
            if item.type == STRATUM or stratum not in item.applies_to:
                continue
            label = str(item.label)
            if item.type == INTEGER:
                field: forms.Field = forms.IntegerField(label=label, required=False, min_value=0)
            elif item.type == MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label,
                    required=False,
                    choices=[(o, OPTION_LABELS.get(o, o)) for o in item.options],
                    widget=forms.CheckboxSelectMultiple,
                )
            elif item.type == LEVEL:
                axis = "relation" if item.code.endswith("relation") else "internal"
                field = forms.TypedChoiceField(
                    label=label,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[
                        NOT_APPLICABLE,
                        *[
                            (str(k), f"{k} — {level(axis, k).name} : {level(axis, k).criterion}")
                            for k in range(5)
                        ],
                    ],
                )
            else:
                assert item.type == CHOICE  # noqa: S101 - the template's types are closed
                field = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[NOT_APPLICABLE, *[(o, OPTION_LABELS.get(o, o)) for o in item.options]],
                )
                if item.condition:
                    field.help_text = _("Si des services d'e-administration sont en place.")
            self.fields[item.code] = field

    def cells(self) -> dict[str, Any]:
        """The answers as the import reads them (text; lists for multiple choices)."""
        cells = {}
        for code, value in self.cleaned_data.items():
            if value is None or value == "" or value == []:
                continue
            cells[code] = value if isinstance(value, list) else str(value)
        return cells


class CampaignForm(forms.Form):
    slug = forms.SlugField(label=_("Identifiant (slug)"), max_length=50)
    name = forms.CharField(label=_("Nom"), max_length=200, required=False)
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    template = forms.ChoiceField(
        label=_("Questionnaire"), choices=[(key, str(t.name)) for key, t in TEMPLATES.items()]
    )


class FrameForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for stratum in STRATA:
            self.fields[f"{stratum}_population"] = forms.IntegerField(
                label=_("%(stratum)s : nombre de collectivités (N_h)")
                % {"stratum": STRATUM_LABELS[stratum]},
                min_value=0,
                required=False,
            )
            self.fields[f"{stratum}_invited"] = forms.IntegerField(
                label=_("%(stratum)s : invitées") % {"stratum": STRATUM_LABELS[stratum]},
                min_value=0,
                required=False,
            )

    def frame(self) -> dict[str, tuple[int, int]]:
        data = self.cleaned_data
        return {
            s: (data[f"{s}_population"], data.get(f"{s}_invited") or 0)
            for s in STRATA
            if data.get(f"{s}_population")
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier des répondants (CSV ou XLSX)"),
        help_text=_(
            "Une ligne par répondant : une colonne « respondent » et une colonne par code de "
            "question ; choix multiples séparés par « ; » ; case vide = sans objet."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Déposez un fichier CSV ou XLSX."))
        return upload


class InviteForm(forms.Form):
    authority = forms.ModelChoiceField(label=_("Collectivité hébergée à inviter"), queryset=None)

    def __init__(self, *args: Any, authorities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities  # type: ignore[attr-defined]


class ReportFormatForm(forms.Form):
    format = forms.ChoiceField(choices=[(f, f) for f in FORMATS])
