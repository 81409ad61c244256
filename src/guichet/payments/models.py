from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Regie(models.Model):
    """A revenue office (régie de recettes) of the authority: it collects payments through
    one provider account. Each activity that bills names its régie. With eopayment (the
    default), `merchant_id` names the account's entry in `GUICHET_PAYMENT_EOPAYMENT`, where
    its credentials live."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    slug = models.SlugField()
    name = models.CharField(_("nom"), max_length=200)
    provider = models.CharField(
        _("prestataire"),
        max_length=200,
        default="guichet.payments.providers.EopaymentProvider",
        help_text=_("Chemin Python de la classe du prestataire de paiement"),
    )
    merchant_id = models.CharField(_("identifiant marchand"), max_length=100)
    # For a provider class that keeps its key in the database; eopayment's are in settings.
    secret = models.CharField(_("clé de signature"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("régie")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "slug"], name="unique_regie_slug")
        ]

    def __str__(self) -> str:
        return self.name


class Payment(models.Model):
    """One attempt to pay an amount online. `purpose` and `purpose_id` name what is paid
    (for example an invoice of a domain), which the domain settles once paid."""

    class State(models.TextChoices):
        CREATED = "created", _("en attente")
        PAID = "paid", _("payé")
        CANCELLED = "cancelled", _("abandonné")
        REFUSED = "refused", _("refusé")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    regie = models.ForeignKey(Regie, on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(_("référence"), max_length=40, unique=True)
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    label = models.CharField(_("objet"), max_length=200)
    purpose = models.CharField(max_length=40)
    purpose_id = models.PositiveBigIntegerField()
    payer_email = models.EmailField(blank=True)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.CREATED)
    transaction_id = models.CharField(_("transaction du prestataire"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(_("réglé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("paiement")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=Decimal(0)), name="payment_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["authority", "purpose", "purpose_id"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_final(self) -> bool:
        return self.state != self.State.CREATED


class PaymentEvent(models.Model):
    """A verified response of the provider (browser return or server notification), kept as
    received: the audit trail of the money."""

    class Channel(models.TextChoices):
        RETURN = "return", _("retour du navigateur")
        NOTIFICATION = "notification", _("notification du prestataire")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    result = models.CharField(max_length=10)
    fields = models.JSONField()
    changed_state = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class Charge(models.Model):
    """One amount billed to a resident by a domain (an invoice, a priced booking…): the
    ledger the barometer measures online payment on (K4). The domain records it when it
    bills; it is settled online by the payment that pays its purpose, or otherwise (counter,
    cheque, direct debit) by the domain. `procedure_id` and `case_id` name the engine's
    procedure and case when the charge comes from one: plain ids, since payments sits below
    the engine."""

    class Settlement(models.TextChoices):
        ONLINE = "online", _("payé en ligne")
        OTHER = "other", _("payé par un autre moyen")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    domain = models.CharField(_("domaine"), max_length=16)
    purpose = models.CharField(max_length=40)
    purpose_id = models.PositiveBigIntegerField()
    label = models.CharField(_("objet"), max_length=200, blank=True)
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    billed_at = models.DateTimeField(_("facturé le"))
    procedure_id = models.PositiveBigIntegerField(null=True, blank=True)
    case_id = models.PositiveBigIntegerField(null=True, blank=True)
    settlement = models.CharField(
        _("règlement"), max_length=8, choices=Settlement.choices, blank=True
    )
    settled_at = models.DateTimeField(_("réglé le"), null=True, blank=True)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("somme facturée")
        verbose_name_plural = _("sommes facturées")
        ordering = ["-billed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "purpose", "purpose_id"], name="one_charge_per_purpose"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=Decimal(0)), name="charge_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(settlement="", settled_at__isnull=True)
                | (~Q(settlement="") & Q(settled_at__isnull=False)),
                name="charge_settled_with_date",
            ),
        ]
        indexes = [models.Index(fields=["authority", "billed_at"])]

    def __str__(self) -> str:
        return f"{self.purpose}#{self.purpose_id}"

    @property
    def is_settled(self) -> bool:
        return bool(self.settlement)
