"""The builder's forms: each turns one part of a definition into inputs and back."""

from decimal import Decimal
from typing import Any

import yaml
from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.engine.builder import workflow_roles
from guichet.engine.definitions import CHANNELS, FIELD_TYPES
from guichet.engine.models import Channel, Domain, Procedure
from guichet.engine.validators import FILE_TYPES

FIELD_TYPE_LABELS = [
    ("text", _("Texte court")),
    ("textarea", _("Texte long")),
    ("email", _("Adresse électronique")),
    ("phone", _("Téléphone")),
    ("number", _("Nombre")),
    ("amount", _("Montant en euros")),
    ("date", _("Date")),
    ("yes_no", _("Oui / non")),
    ("choice", _("Choix unique")),
    ("multiple_choice", _("Choix multiples")),
    ("address", _("Adresse postale")),
    ("map_point", _("Point sur une carte")),
    ("file", _("Pièce jointe")),
    ("siret", _("SIRET")),
    ("iban", _("IBAN")),
    ("group", _("Groupe répétable (tableau)")),
    ("page", _("Nouvelle page")),
    ("help", _("Texte d'aide")),
]
PREFILL_LABELS = [
    ("", _("Aucun")),
    ("first_name", _("Prénom")),
    ("last_name", _("Nom")),
    ("email", _("Courriel")),
    ("phone", _("Téléphone")),
    ("address", _("Adresse")),
    ("birth_date", _("Date de naissance")),
]
ROLE_LABELS = {"applicant": _("Demandeur"), "agent": _("Agent"), "manager": _("Responsable")}
SHIPPED_EMAILS = [
    ("case_status_changed", _("Changement de statut (modèle fourni)")),
    ("documents_requested", _("Pièces demandées (modèle fourni)")),
    ("case_decided", _("Décision (modèle fourni)")),
]
DEFAULT_EMAIL = "case_status_changed"
SHIPPED_DOCUMENTS = [("decision", _("Décision (modèle fourni)"))]


class RevisionForm(forms.Form):
    """Every builder form carries the draft's fingerprint it was drawn from."""

    revision = forms.CharField(widget=forms.HiddenInput, required=False)


class ProcedureForm(RevisionForm):
    name = forms.CharField(label=_("Nom de la démarche"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[A-Z0-9]{1,12}$",
        help_text=_("Dans le numéro des dossiers : 1 à 12 majuscules ou chiffres, ex. ACTE."),
    )
    slug = forms.SlugField(label=_("Adresse (slug)"), help_text=_("Dans l'adresse de la page."))
    domain = forms.ChoiceField(label=_("Domaine"), choices=Domain.choices)
    audience = forms.ChoiceField(label=_("Public"), choices=Procedure.Audience.choices)
    service = forms.ChoiceField(label=_("Service qui traite les dossiers"))
    retention_days = forms.IntegerField(
        label=_("Durée de conservation (jours)"), min_value=1, initial=3650
    )
    channels = forms.MultipleChoiceField(
        label=_("Canaux"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(CHANNELS),
    )

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = services

    @staticmethod
    def initial_from(raw: dict[str, Any]) -> dict[str, Any]:
        return {
            key: raw.get(key)
            for key in (
                "name",
                "description",
                "code",
                "slug",
                "domain",
                "audience",
                "service",
                "retention_days",
            )
        } | {"channels": raw.get("channels") or list(CHANNELS)}

    def apply(self, raw: dict[str, Any]) -> None:
        data = self.cleaned_data
        for key in ("name", "description", "code", "slug", "domain", "audience", "service"):
            raw[key] = data[key]
        raw["retention_days"] = data["retention_days"]
        if set(data["channels"]) == set(CHANNELS):
            raw.pop("channels", None)
        else:
            raw["channels"] = [c for c in CHANNELS if c in data["channels"]]


class CreateForm(ProcedureForm):
    pass


class CopyForm(RevisionForm):
    key = forms.CharField(widget=forms.HiddenInput)
    code = forms.RegexField(label=_("Code de la copie"), regex=r"^[A-Z0-9]{1,12}$")
    slug = forms.SlugField(label=_("Adresse de la copie"))


class ImportForm(forms.Form):
    source = forms.CharField(
        label=_("Définition YAML"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    upload = forms.FileField(label=_("ou un fichier .yaml"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload:
            if upload.size > 512 * 1024:
                raise forms.ValidationError(_("Le fichier dépasse 512 Ko."))
            try:
                data["source"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("Le fichier n'est pas du texte UTF-8.")) from error
        if not (data.get("source") or "").strip():
            raise forms.ValidationError(_("Collez une définition ou choisissez un fichier."))
        return data


class YamlForm(RevisionForm):
    source = forms.CharField(
        label=_("Définition YAML"), widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"})
    )


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class FieldForm(RevisionForm):
    type = forms.ChoiceField(label=_("Type"), choices=FIELD_TYPE_LABELS)
    label = forms.CharField(
        label=_("Libellé (ou titre de la page)"), max_length=300, required=False
    )
    name = forms.RegexField(
        label=_("Nom technique"),
        regex=r"^[A-Za-z_][A-Za-z0-9_]*$",
        required=False,
        help_text=_("Lettres sans accent, chiffres et _ ; sert dans les modèles : {{ nom }}."),
    )
    help = forms.CharField(
        label=_("Aide sous le champ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    text = forms.CharField(
        label=_("Texte (pour un texte d'aide)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    required = forms.BooleanField(label=_("Obligatoire"), required=False)
    choices = forms.CharField(
        label=_("Choix"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Un par ligne : valeur | libellé."),
    )
    show_if_field = forms.ChoiceField(label=_("Afficher seulement si le champ"), required=False)
    show_if_values = forms.CharField(
        label=_("vaut (une valeur, ou plusieurs séparées par des virgules)"),
        required=False,
        help_text=_("Pour un champ oui / non : oui ou non."),
    )
    prefill = forms.ChoiceField(
        label=_("Prérempli depuis le profil"), choices=PREFILL_LABELS, required=False
    )
    min = forms.DecimalField(label=_("Minimum"), required=False)
    max = forms.DecimalField(label=_("Maximum"), required=False)
    accept = forms.MultipleChoiceField(
        label=_("Fichiers acceptés"),
        choices=[(kind, kind.upper()) for kind in FILE_TYPES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    max_size_mb = forms.IntegerField(
        label=_("Taille maximale (Mo)"), min_value=1, max_value=50, required=False
    )
    max_rows = forms.IntegerField(
        label=_("Lignes au plus (groupe)"), min_value=1, max_value=200, required=False
    )
    sub_fields = forms.CharField(
        label=_("Colonnes du groupe (YAML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("Ex. : - {name: nom, type: text, label: Nom}"),
    )

    # What this form edits; any other key of a field (a domain's own option) is kept as is.
    KEYS = frozenset(
        {"name", "type", "label", "title", "help", "text", "required", "choices", "show_if"}
        | {"prefill", "min", "max", "accept", "max_size_mb", "max_rows", "fields"}
    )

    def __init__(self, *args: Any, others: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["show_if_field"].choices = [("", _("(toujours affiché)")), *others]
        labelled = {value for value, _label in FIELD_TYPE_LABELS}
        # A type, or a profile source, added by another app stays selectable.
        self.fields["type"].choices = [
            *FIELD_TYPE_LABELS,
            *((kind, kind) for kind in sorted(FIELD_TYPES - labelled)),
        ]
        prefill = (self.initial or {}).get("prefill") or ""
        if prefill and prefill not in dict(PREFILL_LABELS):
            self.fields["prefill"].choices = [*PREFILL_LABELS, (prefill, prefill)]

    @staticmethod
    def initial_from(item: dict[str, Any]) -> dict[str, Any]:
        condition = item.get("show_if") or {}
        values = condition.get("one_of") or ([condition["equals"]] if "equals" in condition else [])
        return {
            "type": item.get("type", "text"),
            "label": item.get("label") or item.get("title", ""),
            "name": item.get("name", ""),
            "help": item.get("help", ""),
            "text": item.get("text", ""),
            "required": item.get("required", False),
            "choices": "\n".join(
                f"{c['value']} | {c.get('label', c['value'])}" if isinstance(c, dict) else str(c)
                for c in item.get("choices", [])
            ),
            "show_if_field": condition.get("field", ""),
            "show_if_values": ", ".join(
                ("oui" if v else "non") if isinstance(v, bool) else str(v) for v in values
            ),
            "prefill": item.get("prefill", ""),
            "min": item.get("min"),
            "max": item.get("max"),
            "accept": item.get("accept", []),
            "max_size_mb": item.get("max_size_mb"),
            "max_rows": item.get("max_rows"),
            "sub_fields": yaml.safe_dump(item["fields"], allow_unicode=True, sort_keys=False)
            if item.get("fields")
            else "",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("type")
        if kind not in {"page", "help"} and not data.get("name"):
            self.add_error("name", _("Le nom technique est obligatoire."))
        if kind not in {"page", "help"} and not data.get("label"):
            self.add_error("label", _("Le libellé est obligatoire."))
        if kind == "help" and not data.get("text"):
            self.add_error("text", _("Le texte est obligatoire."))
        if kind in {"choice", "multiple_choice"} and not data.get("choices", "").strip():
            self.add_error("choices", _("Donnez au moins un choix."))
        if kind == "group":
            try:
                sub = yaml.safe_load(data.get("sub_fields") or "") or []
            except yaml.YAMLError:
                sub = None
            if not isinstance(sub, list) or not sub:
                self.add_error("sub_fields", _("Une liste YAML d'au moins un champ."))
            data["sub_fields_parsed"] = sub
        return data

    def to_item(self, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        """The field; with `previous` (the field edited), keys this form does not edit."""
        kept = {k: v for k, v in (previous or {}).items() if k not in self.KEYS}
        return self._item() | kept

    def _item(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["type"]
        if kind == "page":
            return {"type": "page", "title": data["label"]}
        if kind == "help":
            return {"type": "help", "text": data["text"]}
        item: dict[str, Any] = {"name": data["name"], "type": kind, "label": data["label"]}
        if data["help"]:
            item["help"] = data["help"]
        if data["required"]:
            item["required"] = True
        if kind in {"choice", "multiple_choice"}:
            item["choices"] = self._choices()
        if data["show_if_field"]:
            item["show_if"] = self._condition()
        if data["prefill"]:
            item["prefill"] = data["prefill"]
        item |= self._options(kind)
        return item

    def _choices(self) -> list[dict[str, str]]:
        choices = []
        for line in self.cleaned_data["choices"].splitlines():
            if line.strip():
                value, _sep, label = line.partition("|")
                choices.append({"value": value.strip(), "label": label.strip() or value.strip()})
        return choices

    def _condition(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: list[Any] = [v.strip() for v in data["show_if_values"].split(",") if v.strip()]
        values = [{"oui": True, "non": False}.get(v.lower(), v) for v in values]
        condition: dict[str, Any] = {"field": data["show_if_field"]}
        if len(values) > 1:
            condition["one_of"] = values
        else:
            condition["equals"] = values[0] if values else True
        return condition

    def _options(self, kind: str) -> dict[str, Any]:
        data = self.cleaned_data
        options: dict[str, Any] = {}
        if kind in {"number", "amount"}:
            options |= {key: _number(data[key]) for key in ("min", "max") if data[key] is not None}
        if kind == "file" and data["accept"]:
            options["accept"] = data["accept"]
        if kind == "file" and data["max_size_mb"]:
            options["max_size_mb"] = data["max_size_mb"]
        if kind == "group":
            options["fields"] = data["sub_fields_parsed"]
            if data["max_rows"]:
                options["max_rows"] = data["max_rows"]
        return options


class StatusForm(RevisionForm):
    code = forms.RegexField(
        label=_("Code"), regex=r"^[A-Za-z_][A-Za-z0-9_]*$", help_text=_("ex. submitted")
    )
    label = forms.CharField(label=_("Libellé"), max_length=200)
    final = forms.BooleanField(label=_("Statut final (clôt le dossier)"), required=False)
    outcome = forms.ChoiceField(
        label=_("Issue"),
        required=False,
        choices=[("", _("Aucune")), ("accepted", _("Acceptée")), ("rejected", _("Refusée"))],
    )
    waits_for_applicant = forms.BooleanField(
        label=_("Attend le demandeur (les délais sont suspendus)"), required=False
    )
    notify_service = forms.BooleanField(label=_("À l'entrée : prévenir le service"), required=False)
    notify_applicant = forms.ChoiceField(
        label=_("À l'entrée : écrire au demandeur"), required=False
    )
    document = forms.ChoiceField(label=_("À l'entrée : produire le document"), required=False)
    deadline_days = forms.IntegerField(label=_("Délai (jours)"), min_value=1, required=False)
    deadline_to = forms.ChoiceField(label=_("À l'échéance, passer au statut"), required=False)
    alert_days_before = forms.IntegerField(
        label=_("Alerter les agents (jours avant)"), min_value=0, required=False
    )
    silence_accord = forms.BooleanField(label=_("Silence vaut accord"), required=False)

    def __init__(
        self,
        *args: Any,
        statuses: list[tuple[str, str]],
        emails: list[str],
        documents: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deadline_to"].choices = [("", _("(alerter seulement)")), *statuses]
        self.fields["notify_applicant"].choices = [
            ("", _("Non")),
            *SHIPPED_EMAILS,
            *((code, code) for code in emails),
        ]
        self.fields["document"].choices = [
            ("", _("Aucun")),
            *SHIPPED_DOCUMENTS,
            *((code, code) for code in documents),
        ]

    @staticmethod
    def initial_from(status: dict[str, Any]) -> dict[str, Any]:
        actions = status.get("on_enter") or []
        deadline = status.get("deadline") or {}
        first = {}
        for action in actions:
            first.setdefault(action.get("action"), action)
        return {
            "code": status.get("code", ""),
            "label": status.get("label", ""),
            "final": status.get("final", False),
            "outcome": status.get("outcome", ""),
            "waits_for_applicant": status.get("waits_for_applicant", False),
            "notify_service": "notify_service" in first,
            "notify_applicant": (first.get("notify_applicant") or {}).get(
                "template", "case_status_changed" if "notify_applicant" in first else ""
            ),
            "document": (first.get("generate_pdf") or {}).get(
                "document", "decision" if "generate_pdf" in first else ""
            ),
            "deadline_days": deadline.get("days"),
            "deadline_to": deadline.get("to", ""),
            "alert_days_before": deadline.get("alert_days_before"),
            "silence_accord": deadline.get("silence_accord", False),
        }

    def to_item(self, previous: dict[str, Any]) -> dict[str, Any]:
        """The status, keeping the actions this form does not show (other apps' actions)."""
        data = self.cleaned_data
        status: dict[str, Any] = {"code": data["code"], "label": data["label"]}
        if data["final"]:
            status["final"] = True
        if data["outcome"]:
            status["outcome"] = data["outcome"]
        if data["waits_for_applicant"]:
            status["waits_for_applicant"] = True
        actions = self._actions(previous)
        if actions:
            status["on_enter"] = actions
        if data["deadline_days"]:
            deadline: dict[str, Any] = {"days": data["deadline_days"]}
            if data["deadline_to"]:
                deadline["to"] = data["deadline_to"]
            if data["alert_days_before"]:
                deadline["alert_days_before"] = data["alert_days_before"]
            if data["silence_accord"]:
                deadline["silence_accord"] = True
            status["deadline"] = deadline
        return status

    def _actions(self, previous: dict[str, Any]) -> list[dict[str, Any]]:
        data = self.cleaned_data
        shown = {"notify_service", "notify_applicant", "generate_pdf"}
        actions = []
        if data["document"]:
            actions.append({"action": "generate_pdf", "document": data["document"]})
        before = {}
        for action in previous.get("on_enter") or []:
            before.setdefault(action.get("action"), action)
        if data["notify_service"]:
            # Its template (a procedure's own e-mail to the service) is edited in YAML.
            service = before.get("notify_service") or {}
            actions.append(
                {"action": "notify_service"} | {k: v for k, v in service.items() if k == "template"}
            )
        if data["notify_applicant"]:
            action = {"action": "notify_applicant", "template": data["notify_applicant"]}
            implicit = "template" not in before.get("notify_applicant", {"template": ""})
            if implicit and action["template"] == DEFAULT_EMAIL:
                del action["template"]  # the default, left implicit as it was
            actions.append(action)
        actions += [a for a in previous.get("on_enter") or [] if a.get("action") not in shown]
        return actions


class TransitionForm(RevisionForm):
    name = forms.RegexField(label=_("Nom technique"), regex=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label = forms.CharField(label=_("Libellé du bouton"), max_length=200)
    source = forms.ChoiceField(label=_("Depuis le statut"))
    target = forms.ChoiceField(label=_("Vers le statut"))
    roles = forms.MultipleChoiceField(
        label=_("Qui peut la prendre"), widget=forms.CheckboxSelectMultiple
    )
    comment_required = forms.BooleanField(label=_("Commentaire obligatoire"), required=False)

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = statuses
        self.fields["target"].choices = statuses
        self.fields["roles"].choices = [
            (role, ROLE_LABELS.get(role, role)) for role in sorted(workflow_roles())
        ]

    @staticmethod
    def initial_from(item: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": item.get("name", ""),
            "label": item.get("label", ""),
            "source": item.get("from", ""),
            "target": item.get("to", ""),
            "roles": item.get("roles", ["agent"]),
            "comment_required": item.get("comment_required", False),
        }

    def to_item(self) -> dict[str, Any]:
        data = self.cleaned_data
        item = {
            "name": data["name"],
            "from": data["source"],
            "to": data["target"],
            "label": data["label"],
            "roles": data["roles"],
        }
        if data["comment_required"]:
            item["comment_required"] = True
        return item


class TextForm(RevisionForm):
    code = forms.RegexField(label=_("Code"), regex=r"^[A-Za-z_][A-Za-z0-9_]*$")
    title = forms.CharField(label=_("Objet ou titre"), max_length=300)
    body = forms.CharField(
        label=_("Texte"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Champs du formulaire : {{ nom_technique }} ; et {{ numero }}, {{ demarche }}, "
            "{{ statut }}, {{ collectivite }}, {{ code_suivi }}, {{ demandeur }}, "
            "{{ commentaire }}."
        ),
    )

    def to_item(self, *, title_key: str) -> dict[str, Any]:
        data = self.cleaned_data
        return {"code": data["code"], title_key: data["title"], "body": data["body"]}


class InitialForm(RevisionForm):
    initial_status = forms.ChoiceField(label=_("Statut au dépôt"))

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["initial_status"].choices = statuses


class TrialTransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
