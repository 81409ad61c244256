import secrets
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.engine.definitions import DOMAINS, Definition, Status, definition_parse

DRAFT = "draft"
# Unambiguous characters, read aloud over the phone without confusion.
TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def tracking_code_new() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))


class Domain(models.TextChoices):
    ASSOCIATIONS = DOMAINS[0], _("Associations et personnes morales")
    INDIVIDUALS = DOMAINS[1], _("Services aux particuliers")
    PUBLIC_SPACE = DOMAINS[2], _("Interventions sur l'espace public")
    REAL_ESTATE = DOMAINS[3], _("Opérations immobilières")
    FACILITIES = DOMAINS[4], _("Équipements publics")


class Channel(models.TextChoices):
    WEB = "web", _("En ligne")
    COUNTER = "counter", _("Au guichet")
    PHONE = "phone", _("Par téléphone")
    POST = "post", _("Par courrier")
    EMAIL = "email", _("Par courriel")
    PARTNER = "partner", _("Par un partenaire (API)")


class Procedure(models.Model):
    """A démarche offered by the authority; its content lives in versions."""

    class Audience(models.TextChoices):
        INDIVIDUAL = "individual", _("Particuliers")
        ORGANISATION = "organisation", _("Associations et entreprises")
        INTERNAL = "internal", _("Interne")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    code = models.CharField(_("code"), max_length=12, help_text=_("Dans le numéro des dossiers"))
    slug = models.SlugField()
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    domain = models.CharField(_("domaine"), max_length=16, choices=Domain.choices)
    audience = models.CharField(
        _("public"), max_length=16, choices=Audience.choices, default=Audience.INDIVIDUAL
    )
    service = models.ForeignKey("accounts.Service", on_delete=models.PROTECT)
    is_online = models.BooleanField(_("ouverte en ligne"), default=True)
    retention_days = models.PositiveIntegerField(_("durée de conservation (jours)"), default=3650)

    class Meta:
        verbose_name = _("démarche")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "slug"], name="unique_procedure_slug"),
            models.UniqueConstraint(fields=["authority", "code"], name="unique_procedure_code"),
        ]

    def __str__(self) -> str:
        return self.name


class ProcedureVersion(models.Model):
    """An immutable snapshot once published: each case keeps the version it was filed under."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.procedure} v{self.number}"

    @cached_property
    def parsed(self) -> Definition:
        return definition_parse(self.definition)


class CaseCounter(models.Model):
    """The last number given per authority, procedure code and year."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    code = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "code", "year"], name="unique_counter")
        ]


class CaseQuerySet(models.QuerySet["Case"]):
    def filed(self) -> "CaseQuerySet":
        return self.exclude(status=DRAFT)

    def drafts(self) -> "CaseQuerySet":
        return self.filter(status=DRAFT)


class Case(models.Model):
    """A dossier: one request, from draft to decision."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT)
    service = models.ForeignKey("accounts.Service", on_delete=models.PROTECT)
    number = models.CharField(_("numéro"), max_length=32, blank=True)
    tracking_code = models.CharField(_("code de suivi"), max_length=10, default=tracking_code_new)
    status = models.CharField(_("statut"), max_length=40, default=DRAFT, db_index=True)
    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The organisation the applicant acted for (procedures for legal persons): who acted
    # for whom stays on the case even after the person leaves the organisation.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # What was given once and reused ("Dites-le-nous une fois"), for the barometer:
    # {"fields": [field names prefilled], "documents": [vault document kinds reused]}.
    prefilled = models.JSONField(default=dict, blank=True)
    # Contact details of the person concerned when there is no account (counter, post…)
    # or when someone files on their behalf.
    contact = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    page = models.PositiveSmallIntegerField(default=0)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    draft_reminded_at = models.DateTimeField(null=True, blank=True)
    # The earliest due date of the case's running deadlines (neither paused nor done),
    # kept by the engine whenever a deadline starts, pauses, resumes or ends: the
    # "overdue" queue reads one indexed column instead of probing every case's deadlines.
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "number"], condition=~Q(number=""), name="unique_case_number"
            ),
            models.UniqueConstraint(
                fields=["authority", "tracking_code"], name="unique_tracking_code"
            ),
        ]
        indexes = [
            models.Index(fields=["authority", "status"]),
            # The overdue queue: partial (only the cases with a running clock, a small part
            # of the table), in the queue's order; the due date is checked in the index.
            models.Index(
                fields=["authority", "submitted_at", "next_due_at"],
                condition=Q(next_due_at__isnull=False),
                name="case_running_deadline",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"brouillon #{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT

    @property
    def status_def(self) -> Status | None:
        if self.is_draft:
            return None
        return self.version.parsed.workflow.status(self.status)

    @property
    def status_label(self) -> str:
        status = self.status_def
        return status.label if status else str(_("Brouillon"))

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_waiting_for_applicant(self) -> bool:
        status = self.status_def
        return bool(status and status.waits_for_applicant)

    @property
    def person_name(self) -> str:
        if self.contact.get("last_name"):
            return f"{self.contact.get('first_name', '')} {self.contact['last_name']}".strip()
        return self.applicant.display_name if self.applicant else ""

    @property
    def person_email(self) -> str:
        return self.contact.get("email") or (self.applicant.email if self.applicant else "")


class CaseTransition(models.Model):
    """The log of status changes: the barometer reads its timings."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=40)
    to_status = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class Attachment(models.Model):
    class Kind(models.TextChoices):
        FIELD = "field", _("pièce du formulaire")
        REQUESTED = "requested", _("pièce demandée")
        SCAN = "scan", _("courrier numérisé")
        GENERATED = "generated", _("document produit")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    field_name = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to="cases/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Message(models.Model):
    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    is_from_applicant = models.BooleanField()
    body = models.TextField(_("message"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class InternalNote(models.Model):
    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    body = models.TextField(_("note interne"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class CaseCorrection(models.Model):
    """An agent's edit of a resident's answer, traced field by field."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="corrections")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    field_name = models.CharField(max_length=64)
    old_value = models.JSONField(null=True)
    new_value = models.JSONField(null=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class Deadline(models.Model):
    """A running clock on a case; paused while the case waits for the applicant."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    started_in = models.CharField(max_length=40)
    target_status = models.CharField(max_length=40)
    is_silence_accord = models.BooleanField(default=False)
    due_at = models.DateTimeField(db_index=True)
    alert_at = models.DateTimeField(null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]

    @property
    def is_running(self) -> bool:
        return self.done_at is None and self.paused_at is None


class CannedReply(models.Model):
    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    title = models.CharField(_("titre"), max_length=100)
    body = models.TextField(_("texte"))

    class Meta:
        verbose_name = _("réponse type")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Satisfaction(models.Model):
    """The question asked after closing; the barometer reads it."""

    class Rating(models.TextChoices):
        GOOD = "good", _("Bien")
        MEDIUM = "medium", _("Moyen")
        BAD = "bad", _("Mal")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="satisfaction")
    rating = models.CharField(max_length=8, choices=Rating.choices)
    understood = models.PositiveSmallIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(understood__gte=1, understood__lte=5), name="understood_1_to_5"
            )
        ]
