"""Real-estate operations under the authority's project ownership (maîtrise d'ouvrage).

An operation has phases (programming → warranty year), a multi-year budget (the programme
authorisation, AP, spread in yearly payment credits, CP), contracts per lot with their
amendments and invoices, risks, documents, photos, works notices and subscribers.
Every amount is a Decimal in euros; the budget is counted including tax (TTC), as a
local authority's budget is.
"""

import datetime
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
# The legal payment period of a local authority (Code de la commande publique, R2192-10).
PAYMENT_PERIOD_DAYS = 30


def ttc(amount_ht: Decimal, vat_rate: Decimal) -> Decimal:
    """The amount including tax, rounded to the cent."""
    return (amount_ht * (Decimal(100) + vat_rate) / Decimal(100)).quantize(CENT, ROUND_HALF_UP)


def subscription_token_new() -> str:
    return secrets.token_urlsafe(24)


class Operation(models.Model):
    class Kind(models.TextChoices):
        NEW_BUILDING = "new_building", _("Construction neuve")
        REHABILITATION = "rehabilitation", _("Réhabilitation")
        ENERGY_RENOVATION = "energy_renovation", _("Rénovation énergétique")
        ACCESSIBILITY = "accessibility", _("Mise en accessibilité")
        EXTENSION = "extension", _("Extension")
        MAINTENANCE = "maintenance", _("Gros entretien")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    service = models.ForeignKey(
        "accounts.Service",
        on_delete=models.PROTECT,
        related_name="operations",
        verbose_name=_("service conducteur"),
    )
    name = models.CharField(_("nom"), max_length=200)
    programme = models.CharField(_("programme"), max_length=200, blank=True)
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("adresse du site"), max_length=300)
    cadastral_parcel = models.CharField(
        _("parcelle cadastrale"), max_length=40, blank=True, help_text=_("Par exemple AB 0123")
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_operations",
        verbose_name=_("conducteur d'opération"),
    )
    requesting_service = models.ForeignKey(
        "accounts.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requested_operations",
        verbose_name=_("service demandeur"),
    )
    request_case = models.OneToOneField(
        "engine.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="real_estate_operation",
    )
    is_public = models.BooleanField(_("page publique"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opération")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="unique_operation_name")
        ]

    def __str__(self) -> str:
        return self.name


class CouncilDecision(models.Model):
    """A deliberation (conseil municipal, commission permanente…) that authorised the operation."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="decisions")
    reference = models.CharField(_("numéro de délibération"), max_length=40)
    decided_on = models.DateField(_("date"))
    title = models.CharField(_("objet"), max_length=300)
    file = models.FileField(_("délibération (PDF)"), upload_to="real_estate/decisions/%Y/")

    class Meta:
        ordering = ["decided_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "reference"], name="unique_decision_ref")
        ]


class Phase(models.Model):
    class Kind(models.TextChoices):
        PROGRAMMING = "programming", _("Programmation")
        ESQ = "esq", _("Esquisse (ESQ)")
        APS = "aps", _("Avant-projet sommaire (APS)")
        APD = "apd", _("Avant-projet définitif (APD)")
        PRO = "pro", _("Projet (PRO)")
        DCE = "dce", _("Consultation des entreprises (DCE)")
        WORKS = "works", _("Travaux")
        ACCEPTANCE = "acceptance", _("Réception")
        WARRANTY = "warranty", _("Garantie de parfait achèvement")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=12, choices=Kind.choices)
    position = models.PositiveSmallIntegerField()
    planned_start = models.DateField(_("début prévu"))
    planned_end = models.DateField(_("fin prévue"))
    actual_start = models.DateField(_("début réel"), null=True, blank=True)
    actual_end = models.DateField(_("fin réelle"), null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "kind"], name="unique_phase_kind"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="phase_planned_in_order",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=False, actual_end__gte=models.F("actual_start")),
                name="phase_actual_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def is_late(self, *, today: datetime.date) -> bool:
        """Finished after its planned end, or still running (or not started) past it."""
        if self.actual_end is not None:
            return self.actual_end > self.planned_end
        return today > self.planned_end

    def state(self, *, today: datetime.date) -> str:
        if self.actual_end is not None:
            return "done"
        if self.actual_start is not None:
            return "running"
        return "planned"


class Milestone(models.Model):
    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("jalon"), max_length=200)
    planned_on = models.DateField(_("date prévue"))
    achieved_on = models.DateField(_("date atteinte"), null=True, blank=True)

    class Meta:
        ordering = ["planned_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "name"], name="unique_milestone_name")
        ]


class Reservation(models.Model):
    """A defect noted at acceptance (réserve), until the contractor lifts it."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="reservations")
    description = models.CharField(_("réserve"), max_length=300)
    noted_on = models.DateField(_("émise le"))
    lifted_on = models.DateField(_("levée le"), null=True, blank=True)

    class Meta:
        ordering = ["noted_on", "id"]


# --- Budget -----------------------------------------------------------------------------------


class ProgrammeAuthorisation(models.Model):
    """The AP: the ceiling of the operation's spending over all years, voted by the council."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    operation = models.OneToOneField(Operation, on_delete=models.CASCADE, related_name="budget")
    reference = models.CharField(_("numéro d'AP"), max_length=40)
    amount = models.DecimalField(_("montant de l'AP (TTC)"), max_digits=14, decimal_places=2)
    voted_on = models.DateField(_("votée le"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="ap_amount_not_negative")
        ]


class PaymentCredit(models.Model):
    """A CP: the share of the AP that may be paid in one budget year."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    budget = models.ForeignKey(
        ProgrammeAuthorisation, on_delete=models.CASCADE, related_name="credits"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    amount = models.DecimalField(_("crédits de paiement (TTC)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "year"], name="unique_cp_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="cp_amount_not_negative"),
        ]


class BudgetRevision(models.Model):
    """The history of the AP and of its CP schedule: what changed, why, who decided."""

    class Kind(models.TextChoices):
        VOTE = "vote", _("Vote de l'AP")
        AP = "ap", _("Révision de l'AP")
        CP = "cp", _("Rééchelonnement des CP")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    budget = models.ForeignKey(
        ProgrammeAuthorisation, on_delete=models.CASCADE, related_name="revisions"
    )
    kind = models.CharField(max_length=4, choices=Kind.choices)
    ap_before = models.DecimalField(max_digits=14, decimal_places=2)
    ap_after = models.DecimalField(max_digits=14, decimal_places=2)
    # {"2026": "120000.00", …} before and after: the schedule as decided.
    schedule_before = models.JSONField(default=dict)
    schedule_after = models.JSONField(default=dict)
    reason = models.CharField(_("motif"), max_length=300)
    decided_on = models.DateField(_("décidée le"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class Contract(models.Model):
    """A contract (marché) for one lot, with its contractor."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="contracts")
    lot_number = models.PositiveSmallIntegerField(
        _("numéro de lot"), help_text=_("0 pour la maîtrise d'œuvre")
    )
    lot_name = models.CharField(_("intitulé du lot"), max_length=200)
    contractor_name = models.CharField(_("titulaire"), max_length=200)
    contractor_siret = models.CharField(_("SIRET du titulaire"), max_length=14)
    amount_ht = models.DecimalField(_("montant HT"), max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(_("taux de TVA (%)"), max_digits=5, decimal_places=2)
    amount_ttc = models.DecimalField(_("montant TTC"), max_digits=14, decimal_places=2)
    signed_on = models.DateField(_("notifié le"))

    class Meta:
        ordering = ["lot_number"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "lot_number"], name="unique_contract_lot"),
            models.CheckConstraint(condition=Q(amount_ht__gte=0), name="contract_ht_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Lot {self.lot_number} — {self.lot_name}"


class Amendment(models.Model):
    """An avenant: changes the contract's amount (up or down)."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("numéro d'avenant"))
    amount_ht = models.DecimalField(_("montant HT (+/-)"), max_digits=14, decimal_places=2)
    amount_ttc = models.DecimalField(_("montant TTC (+/-)"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("objet"), max_length=300)
    signed_on = models.DateField(_("signé le"))

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="unique_amendment_number")
        ]


class InvoiceQuerySet(models.QuerySet["Invoice"]):
    def unpaid(self) -> "InvoiceQuerySet":
        return self.filter(paid_on__isnull=True)


class Invoice(models.Model):
    """An invoice received: certified (service fait), then paid within the legal 30 days."""

    authority = models.ForeignKey(
        "tenants.Authority", on_delete=models.CASCADE, related_name="works_invoices"
    )
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField(_("numéro de facture"), max_length=40)
    received_on = models.DateField(_("reçue le"))
    due_on = models.DateField(_("à payer avant le"))
    amount_ht = models.DecimalField(_("montant HT"), max_digits=14, decimal_places=2)
    amount_ttc = models.DecimalField(_("montant TTC"), max_digits=14, decimal_places=2)
    certified_on = models.DateField(_("service fait le"), null=True, blank=True)
    paid_on = models.DateField(_("payée le"), null=True, blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"], name="unique_contract_invoice_number"
            ),
            models.CheckConstraint(condition=Q(amount_ht__gte=0), name="invoice_ht_not_negative"),
        ]

    @property
    def status(self) -> str:
        if self.paid_on:
            return "paid"
        if self.certified_on:
            return "certified"
        return "received"

    def get_status_display(self) -> str:
        return str(INVOICE_STATUSES[self.status])


INVOICE_STATUSES = {
    "received": _("Reçue"),
    "certified": _("Service fait"),
    "paid": _("Payée"),
}


# --- Follow-up ----------------------------------------------------------------------------------


class Risk(models.Model):
    class Level(models.IntegerChoices):
        LOW = 1, _("faible")
        MEDIUM = 2, _("moyen")
        HIGH = 3, _("élevé")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("risque"), max_length=200)
    probability = models.PositiveSmallIntegerField(_("probabilité"), choices=Level.choices)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices)
    mitigation = models.TextField(_("mesures"), blank=True)
    is_closed = models.BooleanField(_("clos"), default=False)

    class Meta:
        ordering = ["is_closed", "-probability", "-impact", "id"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "title"], name="unique_risk_title")
        ]

    @property
    def score(self) -> int:
        return self.probability * self.impact


class Document(models.Model):
    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="documents")
    phase = models.ForeignKey(
        Phase, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(upload_to="real_estate/documents/%Y/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]


class Photo(models.Model):
    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="real_estate/photos/%Y/")
    content_type = models.CharField(max_length=100)
    caption = models.CharField(
        _("description de la photo"), max_length=200, help_text=_("Lue aux personnes aveugles")
    )
    taken_on = models.DateField(_("prise le"))
    is_public = models.BooleanField(_("visible sur la page publique"), default=True)

    class Meta:
        ordering = ["-taken_on", "-id"]


class WorksNotice(models.Model):
    """News for residents: road closures, noise, access changes. Subscribers get them."""

    class Kind(models.TextChoices):
        ROAD_CLOSURE = "road_closure", _("Fermeture de voirie")
        NOISE = "noise", _("Travaux bruyants")
        ACCESS = "access", _("Accès modifié")
        NEWS = "news", _("Information")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("type d'avis"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"), null=True, blank=True)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "title", "starts_on"], name="unique_notice"
            )
        ]


class Subscription(models.Model):
    """An e-mail address following an operation's news; confirmed by a link (double opt-in)."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField(_("adresse électronique"))
    token = models.CharField(max_length=40, default=subscription_token_new, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["operation", "email"], name="unique_subscription")
        ]
