"""Associations' data: the document vault, calls for projects, subsidy applications and
their instruction (opinions, committee, decision, instalments, final report).
Loans of rooms and equipment live in the facilities registry (`facilities.Loan`)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")


class VaultDocument(models.Model):
    """A document given once and reused by every application ("Dites-le-nous une fois").

    A new upload of the same kind replaces the current one, which is kept for the cases
    that used it."""

    class Kind(models.TextChoices):
        STATUTES = "statutes", _("Statuts")
        BOARD_LIST = "board_list", _("Liste des dirigeants")
        BANK_DETAILS = "bank_details", _("Relevé d'identité bancaire")
        ACCOUNTS = "accounts", _("Derniers comptes approuvés")
        BUDGET = "budget", _("Budget prévisionnel de l'association")
        INSURANCE = "insurance", _("Attestation d'assurance")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="vault_documents"
    )
    kind = models.CharField(_("document"), max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to="vault/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    iban = models.CharField(_("IBAN"), max_length=42, blank=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    replaced_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document du coffre-fort")
        ordering = ["organisation", "kind", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=Q(replaced_at__isnull=True),
                name="assoc_one_current_vault_document_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organisation}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_until is None or self.valid_until >= day


class CallForProjects(models.Model):
    """An "appel à projets": applications accepted between two dates, within an envelope."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("ouverture"))
    closes_on = models.DateField(_("clôture"))
    envelope = models.DecimalField(_("enveloppe budgétaire"), max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appel à projets")
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="assoc_call_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(envelope__gte=0), name="assoc_call_envelope_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class CommitteeSession(models.Model):
    """A meeting of the committee that votes on the applications put on its agenda."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    title = models.CharField(_("intitulé"), max_length=200)
    meets_on = models.DateField(_("date de la séance"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("séance de commission")
        ordering = ["-meets_on", "-id"]

    def __str__(self) -> str:
        return self.title


class SubsidyApplication(models.Model):
    """The CERFA 12156 part of a subsidy case: the project, its budget, the amounts."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    case = models.OneToOneField("engine.Case", on_delete=models.CASCADE, related_name="subsidy")
    call = models.ForeignKey(CallForProjects, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="subsidy_applications"
    )
    # The form's one-time key: a second submission of the same form finds this application.
    submission_key = models.CharField(max_length=64, unique=True)
    project_title = models.CharField(_("intitulé du projet"), max_length=200)
    starts_on = models.DateField(_("début du projet"))
    ends_on = models.DateField(_("fin du projet"))
    total_charges = models.DecimalField(max_digits=12, decimal_places=2)
    total_resources = models.DecimalField(max_digits=12, decimal_places=2)
    amount_requested = models.DecimalField(_("montant demandé"), max_digits=12, decimal_places=2)
    amount_proposed = models.DecimalField(
        _("montant proposé"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_granted = models.DecimalField(
        _("montant accordé"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    session = models.ForeignKey(
        CommitteeSession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_abstaining = models.PositiveSmallIntegerField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    report_due_on = models.DateField(_("compte rendu attendu le"), null=True, blank=True)
    report_reminded_before_at = models.DateTimeField(null=True, blank=True)
    report_reminded_after_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("demande de subvention")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_requested__gte=0), name="assoc_requested_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="assoc_project_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.project_title

    @property
    def amount_paid(self) -> Decimal:
        return sum((i.amount for i in self.instalments.all() if i.paid_on), ZERO)


class BudgetLine(models.Model):
    """One line of the action's budget (CERFA 12156, part 6): charges and resources."""

    class Side(models.TextChoices):
        CHARGE = "charge", _("Charges")
        RESOURCE = "resource", _("Produits")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    application = models.ForeignKey(
        SubsidyApplication, on_delete=models.CASCADE, related_name="budget_lines"
    )
    side = models.CharField(max_length=8, choices=Side.choices)
    category = models.CharField(max_length=32)
    label = models.CharField(_("libellé"), max_length=200)
    amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application", "side", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="assoc_budget_line_positive")
        ]


class Opinion(models.Model):
    """A service's opinion on a case (subsidy, event declaration), asked in parallel."""

    class Verdict(models.TextChoices):
        FAVOURABLE = "favourable", _("Favorable")
        RESERVED = "reserved", _("Favorable avec réserves")
        UNFAVOURABLE = "unfavourable", _("Défavorable")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    case = models.ForeignKey("engine.Case", on_delete=models.CASCADE, related_name="opinions")
    service = models.ForeignKey("accounts.Service", on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("question"), blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    verdict = models.CharField(_("avis"), max_length=16, choices=Verdict.choices, blank=True)
    comment = models.TextField(_("motivation"), blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    given_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("avis de service")
        ordering = ["asked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "service"], name="assoc_one_opinion_per_service"
            )
        ]

    @property
    def is_given(self) -> bool:
        return self.given_at is not None


class Instalment(models.Model):
    """One payment of a granted subsidy, on a schedule."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    application = models.ForeignKey(
        SubsidyApplication, on_delete=models.CASCADE, related_name="instalments"
    )
    position = models.PositiveSmallIntegerField()
    due_on = models.DateField(_("échéance"))
    amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("payé le"), null=True, blank=True)

    class Meta:
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "position"], name="assoc_unique_instalment"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="assoc_instalment_positive"),
        ]


class FinalReport(models.Model):
    """The "compte rendu financier" (CERFA 15059) filed after the project."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    application = models.OneToOneField(
        SubsidyApplication, on_delete=models.CASCADE, related_name="final_report"
    )
    actions_done = models.TextField(_("actions réalisées"))
    public_reached = models.PositiveIntegerField(_("nombre de bénéficiaires"))
    charges_executed = models.DecimalField(_("charges réalisées"), max_digits=12, decimal_places=2)
    resources_executed = models.DecimalField(
        _("produits réalisés"), max_digits=12, decimal_places=2
    )
    gaps_explained = models.TextField(_("explication des écarts"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    filed_at = models.DateTimeField(auto_now_add=True)
