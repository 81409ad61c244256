"""The agents' forms. Choices come from the agent's own procedures, never from the request."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import User
from guichet.engine import selectors
from guichet.engine.definitions import APPLICANT, Definition, FieldDef, Page, Transition
from guichet.engine.forms import CheckedFileField, PageForm, PhoneField
from guichet.engine.instruction import transition_is_generic
from guichet.engine.models import CannedReply, Channel, Procedure

QUEUES = [("todo", _("À traiter")), ("mine", _("Mes dossiers")), ("all", _("Tous les dossiers"))]
INTAKE_CHANNELS = [
    (value, label)
    for value, label in Channel.choices
    if value not in {Channel.WEB, Channel.PARTNER}
]


def _workflows(procedures: list[Procedure]) -> list[Any]:
    versions = [selectors.procedure_current_version(procedure=p) for p in procedures]
    return [version.parsed.workflow for version in versions if version is not None]


def status_choices(procedures: list[Procedure]) -> list[tuple[str, str]]:
    labels: dict[str, str] = {}
    for workflow in _workflows(procedures):
        for status in workflow.statuses:
            labels.setdefault(status.code, status.label)
    return sorted(labels.items(), key=lambda item: item[1])


def bulk_transition_choices(procedures: list[Procedure]) -> list[tuple[str, str]]:
    """The agents' transitions, but those a domain takes on its own pages."""
    labels: dict[str, str] = {}
    for procedure in procedures:
        version = selectors.procedure_current_version(procedure=procedure)
        if version is None:
            continue
        for transition in version.parsed.workflow.transitions:
            if not set(transition.roles) - {APPLICANT}:
                continue
            if transition_is_generic(procedure=procedure, name=transition.name):
                labels.setdefault(transition.name, transition.label)
    return sorted(labels.items(), key=lambda item: item[1])


class QueueFilterForm(forms.Form):
    queue = forms.ChoiceField(
        label=_("File"), choices=QUEUES, required=False, widget=forms.HiddenInput
    )
    q = forms.CharField(
        label=_("Rechercher (numéro ou nom)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    procedure = forms.TypedChoiceField(label=_("Démarche"), required=False, coerce=int)
    status = forms.ChoiceField(label=_("Statut"), required=False)
    channel = forms.ChoiceField(
        label=_("Canal"), required=False, choices=[("", _("Tous")), *Channel.choices]
    )
    assigned_to = forms.TypedChoiceField(label=_("Agent attribué"), required=False, coerce=int)
    submitted_from = forms.DateField(
        label=_("Déposé à partir du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    submitted_to = forms.DateField(
        label=_("Déposé jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("En retard seulement"), required=False)
    sort = forms.ChoiceField(
        label=_("Tri"),
        required=False,
        choices=[(sort, sort) for sort in sorted(selectors.SORTS)],
        widget=forms.HiddenInput,
    )

    def __init__(
        self, *args: Any, procedures: list[Procedure], agents: list[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [
            ("", _("Toutes")),
            *((p.pk, p.name) for p in procedures),
        ]
        self.fields["status"].choices = [("", _("Tous")), *status_choices(procedures)]
        self.fields["assigned_to"].choices = [
            ("", _("Tous")),
            *((agent.pk, agent.display_name) for agent in agents),
        ]

    def filters(self) -> selectors.CaseFilters:
        """The valid criteria; an invalid one (a mistyped date) is ignored, not fatal."""
        self.is_valid()
        data = self.cleaned_data
        return selectors.CaseFilters(
            queue=data.get("queue") or "todo",
            procedure=data.get("procedure") or None,
            status=data.get("status") or "",
            channel=data.get("channel") or "",
            assigned_to=data.get("assigned_to") or None,
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            is_overdue=bool(data.get("overdue")),
            query=data.get("q") or "",
            sort=data.get("sort") or "-submitted_at",
        )


class BulkForm(forms.Form):
    case_ids = forms.TypedMultipleChoiceField(coerce=int)
    name = forms.ChoiceField(label=_("Action"))
    comment = forms.CharField(
        label=_("Commentaire pour les demandeurs (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, procedures: list[Procedure], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "bulk-%s")
        super().__init__(*args, **kwargs)
        self.fields["name"].choices = bulk_transition_choices(procedures)

    def full_clean(self) -> None:
        # Any id may be posted: the service checks each one against the agent's authority.
        self.fields["case_ids"].choices = [
            (value, value)
            for value in (self.data.getlist("case_ids") if self.is_bound else [])
            if value.isdigit()
        ]
        super().full_clean()


class TransitionForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire pour le demandeur"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, transition: Transition, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"transition-{transition.name}-%s")
        super().__init__(*args, **kwargs)
        self.transition = transition
        self.fields["comment"].required = transition.comment_required


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message au demandeur"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    canned = forms.ModelChoiceField(
        label=_("Réponse type"),
        required=False,
        queryset=CannedReply.objects.none(),
        empty_label=_("— Choisir une réponse type —"),
    )

    def __init__(self, *args: Any, replies: list[CannedReply], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "message-%s")
        super().__init__(*args, **kwargs)
        field = self.fields["canned"]
        field.queryset = CannedReply.objects.filter(pk__in=[reply.pk for reply in replies])  # type: ignore[attr-defined]

    def with_canned_text(self) -> "MessageForm":
        """A fresh form whose text has the chosen reply appended (the no-JavaScript way)."""
        reply = self.cleaned_data.get("canned")
        body = self.cleaned_data.get("body", "")
        if reply is not None:
            body = f"{body}\n\n{reply.body}".strip()
        replies = list(self.fields["canned"].queryset)  # type: ignore[attr-defined]
        return MessageForm(initial={"body": body}, replies=replies)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.data.get("insert") and not cleaned.get("body", "").strip():
            self.add_error("body", _("Écrivez le message."))
        return cleaned


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note interne (invisible pour le demandeur)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "note-%s")
        super().__init__(*args, **kwargs)


class AssignForm(forms.Form):
    agent = forms.TypedChoiceField(label=_("Agent attribué"), required=False, coerce=int)

    def __init__(self, *args: Any, agents: list[User], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "assign-%s")
        super().__init__(*args, **kwargs)
        self.agents = {agent.pk: agent for agent in agents}
        self.fields["agent"].choices = [
            ("", _("Personne")),
            *((agent.pk, agent.display_name) for agent in agents),
        ]

    def chosen_agent(self) -> User | None:
        return self.agents.get(self.cleaned_data.get("agent") or 0)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Raison de la correction (communiquée au demandeur)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IntakeForm(forms.Form):
    """Who asks and how: the person's details, or their existing account."""

    channel = forms.ChoiceField(
        label=_("Canal de réception"), choices=INTAKE_CHANNELS, widget=forms.RadioSelect
    )
    account_email = forms.EmailField(
        label=_("Courriel du compte existant du demandeur"),
        required=False,
        help_text=_("S'il a déjà un compte ; sinon, renseignez ses coordonnées ci-dessous."),
    )
    first_name = forms.CharField(label=_("Prénom"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Nom"), required=False, max_length=150)
    email = forms.EmailField(label=_("Adresse électronique"), required=False)
    phone = PhoneField(
        label=_("Téléphone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    address = forms.CharField(label=_("Adresse postale"), required=False, max_length=300)
    scan = CheckedFileField(
        label=_("Courrier numérisé (PDF, JPEG ou PNG, 10 Mo maximum)"),
        required=False,
        accept=("pdf", "jpeg", "png"),
        max_size_mb=10,
    )

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "demandeur")
        super().__init__(*args, **kwargs)
        self.authority = authority
        self.applicant: User | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        account_email = cleaned.get("account_email")
        if account_email:
            self.applicant = selectors.resident_get_by_email(
                authority=self.authority, email=account_email
            )
            if self.applicant is None:
                self.add_error("account_email", _("Aucun compte n'existe avec cette adresse."))
        elif not cleaned.get("last_name"):
            self.add_error(
                "last_name", _("Indiquez le nom du demandeur, ou le courriel de son compte.")
            )
        return cleaned

    def contact(self) -> dict[str, str]:
        if self.applicant is not None:
            return {}
        keys = ("first_name", "last_name", "email", "phone", "address")
        return {key: self.cleaned_data[key] for key in keys if self.cleaned_data.get(key)}


# --- A procedure's fields on one page (intake, correction) -----------------------------------


def answers_page(definition: Definition, *, with_files: bool) -> Page:
    """Every page's fields as one page: field names are unique across a procedure."""
    return Page(
        title="",
        fields=tuple(
            spec
            for page in definition.pages
            for spec in page.fields
            if with_files or spec.type != "file"
        ),
    )


def answers_sections(
    definition: Definition, form: PageForm, *, with_files: bool
) -> list[tuple[str, list[tuple[FieldDef, Any]]]]:
    """The combined form's items regrouped under their page titles, for fieldsets."""
    items = form.fields_in_order()
    sections = []
    start = 0
    for page in definition.pages:
        count = len([spec for spec in page.fields if with_files or spec.type != "file"])
        if count:
            sections.append((page.title, items[start : start + count]))
        start += count
    return sections
