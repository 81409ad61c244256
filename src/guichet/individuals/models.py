from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.individuals.civil_status import (
    ACT_LABELS,
    COPY_LABELS,
    RELATIONSHIP_LABELS,
)

TENANT = "tenants.Authority"


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(str(key), label) for key, label in labels.items()]


# --- Civil status ---------------------------------------------------------------------------


class CivilStatusRequest(models.Model):
    """The structured side of a civil-status case: the act, who asks, where to send it."""

    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    case = models.OneToOneField(
        "engine.Case", on_delete=models.CASCADE, related_name="civil_status_request"
    )
    act_type = models.CharField(_("acte"), max_length=10, choices=_choices(ACT_LABELS))
    copy_kind = models.CharField(_("forme"), max_length=20, choices=_choices(COPY_LABELS))
    relationship = models.CharField(
        _("lien avec la personne"), max_length=24, choices=_choices(RELATIONSHIP_LABELS)
    )
    person_last_name = models.CharField(_("nom"), max_length=150)
    person_first_names = models.CharField(_("prénoms"), max_length=200)
    event_date = models.DateField(_("date de l'événement"))
    event_place = models.CharField(_("lieu de l'événement"), max_length=200, blank=True)
    parents = models.CharField(_("noms des parents"), max_length=300, blank=True)
    requester_name = models.CharField(_("demandeur"), max_length=200)
    requester_email = models.EmailField(_("courriel du demandeur"), blank=True)
    delivery_address = models.TextField(_("adresse d'envoi"))
    copies = models.PositiveSmallIntegerField(_("exemplaires"), default=1)
    relay_partner = models.CharField(_("portail relais"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    issued_at = models.DateTimeField(_("délivré et envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande d'acte d'état civil")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="unique_civil_status_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(copies__gte=1, copies__lte=10), name="civil_status_copies_1_to_10"
            ),
        ]


# --- Social aid -----------------------------------------------------------------------------


class AidKind(models.TextChoices):
    APA = "apa", _("Allocation personnalisée d'autonomie (APA)")
    PCH = "pch", _("Prestation de compensation du handicap (PCH)")
    RSA = "rsa", _("Revenu de solidarité active (RSA)")


class AidApplication(models.Model):
    """A social aid application: household, resources, instruction and decision."""

    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    case = models.OneToOneField(
        "engine.Case", on_delete=models.CASCADE, related_name="aid_application"
    )
    kind = models.CharField(_("aide"), max_length=3, choices=AidKind.choices)
    household_size = models.PositiveSmallIntegerField(_("personnes au foyer"), default=1)
    household = models.TextField(_("composition du foyer"), blank=True)
    monthly_resources = models.DecimalField(
        _("ressources mensuelles du foyer"), max_digits=10, decimal_places=2
    )
    appointment_at = models.DateTimeField(_("rendez-vous d'évaluation"), null=True, blank=True)
    appointment_place = models.CharField(_("lieu du rendez-vous"), max_length=200, blank=True)
    gir = models.PositiveSmallIntegerField(_("GIR"), null=True, blank=True)
    monthly_amount = models.DecimalField(
        _("montant mensuel accordé"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    start_date = models.DateField(_("date d'effet"), null=True, blank=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    letter = models.ForeignKey(
        "engine.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("demande d'aide sociale")
        constraints = [
            models.CheckConstraint(
                condition=Q(gir__isnull=True) | Q(gir__gte=1, gir__lte=6), name="aid_gir_1_to_6"
            ),
            models.CheckConstraint(
                condition=Q(monthly_resources__gte=Decimal(0)), name="aid_resources_positive"
            ),
        ]


class AidDocument(models.Model):
    """A document of the checklist: asked, then sent by the beneficiary, then checked."""

    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    application = models.ForeignKey(
        AidApplication, on_delete=models.CASCADE, related_name="documents"
    )
    code = models.SlugField(max_length=40)
    label = models.CharField(_("pièce"), max_length=200)
    attachment = models.ForeignKey(
        "engine.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "code"], name="unique_aid_document")
        ]


class AidInstalment(models.Model):
    """One monthly payment of the payment plan."""

    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    application = models.ForeignKey(
        AidApplication, on_delete=models.CASCADE, related_name="instalments"
    )
    due_date = models.DateField(_("date de versement"))
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["due_date"]
        constraints = [
            models.UniqueConstraint(fields=["application", "due_date"], name="unique_instalment")
        ]


class SituationChange(models.Model):
    """A change of situation reported by the beneficiary: its own case, linked to the aid."""

    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    application = models.ForeignKey(
        AidApplication, on_delete=models.CASCADE, related_name="situation_changes"
    )
    case = models.OneToOneField(
        "engine.Case", on_delete=models.CASCADE, related_name="situation_change"
    )

    class Meta:
        ordering = ["id"]


# --- School and early childhood -------------------------------------------------------------


class Household(models.Model):
    """A family's account: the adults who log in, the children, the family quotient."""

    class QuotientSource(models.TextChoices):
        DECLARED = "declared", _("déclaré avec justificatif")
        AGENT = "agent", _("saisi par un agent")

    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    name = models.CharField(_("nom du foyer"), max_length=200)
    adults = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="households")
    quotient = models.DecimalField(
        _("quotient familial"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    quotient_source = models.CharField(max_length=10, choices=QuotientSource.choices, blank=True)
    quotient_document = models.FileField(upload_to="households/%Y/", blank=True)

    class Meta:
        verbose_name = _("foyer")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Child(models.Model):
    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    birth_date = models.DateField(_("date de naissance"))
    school = models.CharField(_("école"), max_length=200, blank=True)
    school_class = models.CharField(_("classe"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("enfant")
        ordering = ["birth_date", "id"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Activity(models.Model):
    class Kind(models.TextChoices):
        CANTEEN = "canteen", _("restauration scolaire")
        AFTER_SCHOOL = "after_school", _("accueil périscolaire")
        LEISURE = "leisure", _("accueil de loisirs")

    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("nom"), max_length=200)
    regie = models.ForeignKey("payments.Regie", on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("activité")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PriceBracket(models.Model):
    """The price of one unit (a meal, an evening, a day) for quotients up to `quotient_max`
    (none: every quotient above the previous brackets)."""

    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="brackets")
    quotient_max = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    # Three decimals: grids often price a unit at a tenth of a cent; lines round to the cent.
    unit_price = models.DecimalField(max_digits=9, decimal_places=3)

    class Meta:
        ordering = [models.F("quotient_max").asc(nulls_last=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_price__gte=Decimal(0)), name="bracket_price_positive"
            )
        ]


class Session(models.Model):
    """A leisure-centre session with a limited number of places."""

    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    name = models.CharField(_("session"), max_length=200)
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    capacity = models.PositiveIntegerField(_("places"))

    class Meta:
        verbose_name = _("session")
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("inscrit")
        WAITING = "waiting", _("en liste d'attente")
        CANCELLED = "cancelled", _("annulé")

    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="enrolments")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="enrolments")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="enrolments"
    )
    weekdays = models.JSONField(_("jours"), default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "session"],
                condition=Q(session__isnull=False) & ~Q(status="cancelled"),
                name="one_enrolment_per_child_and_session",
            ),
            models.UniqueConstraint(
                fields=["child", "activity"],
                condition=Q(session__isnull=True) & ~Q(status="cancelled"),
                name="one_enrolment_per_child_and_activity",
            ),
        ]


class Attendance(models.Model):
    """A day of the roll call: the child came (or was expected and did not)."""

    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    date = models.DateField()
    is_present = models.BooleanField()
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "date"], name="one_roll_call_per_day")
        ]


class Invoice(models.Model):
    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="invoices")
    regie = models.ForeignKey("payments.Regie", on_delete=models.PROTECT)
    number = models.CharField(_("numéro"), max_length=32)
    month = models.DateField(_("mois"))
    total = models.DecimalField(_("total"), max_digits=10, decimal_places=2)
    issued_at = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField(_("échéance"))
    paid_at = models.DateTimeField(_("payée le"), null=True, blank=True)
    payment_reference = models.CharField(max_length=40, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("facture")
        ordering = ["-month", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "regie", "month"], name="one_invoice_per_month_and_regie"
            ),
            models.UniqueConstraint(fields=["authority", "number"], name="unique_invoice_number"),
            models.CheckConstraint(
                condition=Q(total__gte=Decimal(0)), name="invoice_total_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None


class InvoiceLine(models.Model):
    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    label = models.CharField(max_length=300)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=9, decimal_places=3)
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["id"]


# --- Early childhood: the crèche waiting list ------------------------------------------------


class Creche(models.Model):
    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    name = models.CharField(_("nom"), max_length=200)
    capacity = models.PositiveIntegerField(_("places"))

    class Meta:
        verbose_name = _("crèche")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CrecheRequest(models.Model):
    """A family's request for a crèche place; the committee offers places by priority."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("en liste d'attente")
        OFFERED = "offered", _("place proposée")
        ACCEPTED = "accepted", _("place acceptée")
        DECLINED = "declined", _("place refusée")

    authority = models.ForeignKey(TENANT, on_delete=models.CASCADE)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="creche_requests"
    )
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="creche_requests")
    date_needed = models.DateField(_("date souhaitée"))
    weekdays = models.JSONField(_("jours"), default=list)
    criteria = models.JSONField(_("critères de priorité"), default=list)
    priority = models.PositiveSmallIntegerField(_("points de priorité"), default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    creche = models.ForeignKey(Creche, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("demande de place en crèche")
        ordering = ["-priority", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status__in=["waiting", "offered", "accepted"]),
                name="one_open_creche_request_per_child",
            )
        ]
