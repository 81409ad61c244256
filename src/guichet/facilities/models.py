"""Public facilities: the registry, bookings, season rounds.

No double booking, ever: a booking writes one `Occupation` row per *leaf* unit it covers
(the whole hall covers its two half courts, a half court covers itself), and the database
refuses two occupations of the same leaf whose ranges overlap: an exclusion constraint on
PostgreSQL, triggers on SQLite (migration 0002). Touching ranges (`[start, end)`) are allowed.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    RESIDENT = "resident", _("particulier")
    ASSOCIATION = "association", _("association")
    INTERNAL = "internal", _("service municipal")


class Facility(models.Model):
    class Kind(models.TextChoices):
        HALL = "hall", _("salle polyvalente")
        GYM = "gym", _("gymnase")
        POOL = "pool", _("piscine")
        MEETING_ROOM = "meeting_room", _("salle de réunion")
        STADIUM = "stadium", _("stade")
        STORE = "store", _("parc de matériel")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    service = models.ForeignKey(
        "accounts.Service",
        on_delete=models.PROTECT,
        verbose_name=_("service gestionnaire"),
        help_text=_("Ses agents traitent les réservations de l'équipement."),
    )
    slug = models.SlugField()
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    address = models.CharField(_("adresse"), max_length=300)
    capacity = models.PositiveIntegerField(_("capacité (personnes)"), default=0)
    accessibility = models.TextField(_("accessibilité"), blank=True)
    step_free = models.BooleanField(_("accessible en fauteuil roulant"), default=False)
    photo = models.ImageField(_("photo"), upload_to="facilities/", blank=True)
    photo_description = models.CharField(_("description de la photo"), max_length=300, blank=True)
    closed_on_public_holidays = models.BooleanField(_("fermé les jours fériés"), default=True)
    is_listed = models.BooleanField(_("présenté aux usagers"), default=True)
    regie = models.ForeignKey(
        "payments.Regie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("régie"),
        help_text=_(
            "Encaisse en ligne les réservations payantes ; sans régie, le montant est à "
            "régler auprès du service."
        ),
    )

    class Meta:
        verbose_name = _("équipement")
        verbose_name_plural = _("équipements")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "slug"], name="unique_facility_slug")
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """What is booked: a whole hall, half a court, a room. Units nest (`parent`)."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("fait partie de"),
    )
    name = models.CharField(_("nom"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacité (personnes)"), default=0)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("espace réservable")
        verbose_name_plural = _("espaces réservables")
        ordering = ["facility", "position", "name"]

    def __str__(self) -> str:
        return f"{self.facility.name} — {self.name}"


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("lundi")
        TUESDAY = 1, _("mardi")
        WEDNESDAY = 2, _("mercredi")
        THURSDAY = 3, _("jeudi")
        FRIDAY = 4, _("vendredi")
        SATURDAY = 5, _("samedi")
        SUNDAY = 6, _("dimanche")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    class Meta:
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")
        ordering = ["facility", "weekday", "opens"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Closure(models.Model):
    """An exception to the opening hours: closed, or unavailable for maintenance."""

    class Kind(models.TextChoices):
        CLOSURE = "closure", _("fermeture")
        MAINTENANCE = "maintenance", _("travaux ou maintenance")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="closures")
    kind = models.CharField(_("motif"), max_length=16, choices=Kind.choices, default=Kind.CLOSURE)
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au (inclus)"))
    reason = models.CharField(_("explication"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.facility} {self.starts_on}-{self.ends_on}"


class AudienceRule(models.Model):
    """Who may book a facility, how far ahead, how long, with or without an agent."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="rules")
    audience = models.CharField(_("public"), max_length=16, choices=Audience.choices)
    min_notice_hours = models.PositiveIntegerField(_("délai minimal (heures)"), default=24)
    max_days_ahead = models.PositiveIntegerField(_("réservable jusqu'à (jours)"), default=90)
    max_duration_minutes = models.PositiveIntegerField(_("durée maximale (minutes)"), default=240)
    needs_approval = models.BooleanField(_("validation par un agent"), default=True)
    buffer_minutes = models.PositiveIntegerField(
        _("battement après chaque réservation (minutes)"), default=0
    )
    cancel_notice_hours = models.PositiveIntegerField(
        _("annulation possible jusqu'à (heures avant)"), default=48
    )

    class Meta:
        verbose_name = _("règle par public")
        verbose_name_plural = _("règles par public")
        constraints = [
            models.UniqueConstraint(fields=["facility", "audience"], name="unique_rule_audience")
        ]

    def __str__(self) -> str:
        return f"{self.facility} — {self.get_audience_display()}"


class Price(models.Model):
    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="prices")
    audience = models.CharField(_("public"), max_length=16, choices=Audience.choices)
    hourly = models.DecimalField(
        _("tarif horaire (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("tarif")
        verbose_name_plural = _("tarifs")
        constraints = [
            models.UniqueConstraint(fields=["unit", "audience"], name="unique_price_audience")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.get_audience_display()}: {self.hourly} €"


class SeasonRound(models.Model):
    """An allocation round of season slots: announced → open → allocation → results sent."""

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("annoncée")
        OPEN = "open", _("ouverte aux demandes")
        ALLOCATION = "allocation", _("attribution en cours")
        PUBLISHED = "published", _("résultats envoyés")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    name = models.CharField(_("nom"), max_length=200)
    season_starts = models.DateField(_("début de la saison"))
    season_ends = models.DateField(_("fin de la saison"))
    applications_close = models.DateField(_("date limite des demandes"))
    status = models.CharField(
        _("étape"), max_length=16, choices=Status.choices, default=Status.ANNOUNCED
    )

    class Meta:
        verbose_name = _("campagne de créneaux")
        verbose_name_plural = _("campagnes de créneaux")
        ordering = ["-season_starts"]

    def __str__(self) -> str:
        return self.name


class SeasonApplication(models.Model):
    """ "Every Tuesday 18:00-20:00 from September to June", asked by an association."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("déposée")
        PROPOSED = "proposed", _("autre créneau proposé")
        APPROVED = "approved", _("accordée")
        PARTIAL = "partial", _("accordée en partie")
        REFUSED = "refused", _("refusée")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    round = models.ForeignKey(SeasonRound, on_delete=models.CASCADE, related_name="applications")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name=_("espace"))
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="season_applications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        on_delete=models.PROTECT,
        related_name="season_applications",
        verbose_name=_("association"),
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=OpeningHours.Weekday.choices)
    starts = models.TimeField(_("début"))
    ends = models.TimeField(_("fin"))
    activity = models.CharField(_("activité"), max_length=200)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    proposal_note = models.TextField(_("message de l'agent"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demande de créneau")
        verbose_name_plural = _("demandes de créneaux")
        ordering = ["round", "unit", "weekday", "starts"]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.unit} {self.get_weekday_display()}"


class Series(models.Model):
    """The bookings granted by one season application, kept together."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    application = models.OneToOneField(
        SeasonApplication, on_delete=models.CASCADE, related_name="series"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("série")
        verbose_name_plural = _("séries")

    def __str__(self) -> str:
        return str(self.application)


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("en attente de validation")
        CONFIRMED = "confirmed", _("confirmée")
        REFUSED = "refused", _("refusée")
        CANCELLED = "cancelled", _("annulée")

    HOLDING = (Status.PENDING, Status.CONFIRMED)

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="bookings")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facility_bookings",
    )
    audience = models.CharField(_("public"), max_length=16, choices=Audience.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facility_bookings",
        verbose_name=_("association"),
    )
    service = models.ForeignKey(
        "accounts.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("service municipal"),
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="bookings"
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    purpose = models.CharField(_("objet"), max_length=300)
    attendance = models.PositiveIntegerField(_("nombre de personnes"), default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    amount_due = models.DecimalField(
        _("montant dû (€)"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    # Set once, by the payment's settler (see `services.booking_settle`).
    paid_at = models.DateTimeField(_("payée le"), null=True, blank=True)
    payment_reference = models.CharField(_("référence du paiement"), max_length=40, blank=True)
    reference = models.CharField(_("référence"), max_length=32)
    request_key = models.CharField(max_length=64, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("motif"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "reference"], name="unique_booking_reference"
            ),
            models.UniqueConstraint(
                fields=["authority", "request_key"],
                condition=~models.Q(request_key=""),
                name="unique_booking_request_key",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="booking_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["authority", "unit", "starts_at"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def holder_label(self) -> str:
        if self.audience == Audience.ASSOCIATION and self.organisation_id:
            return str(self.organisation)
        if self.audience == Audience.INTERNAL and self.service_id:
            return str(self.service)
        return self.holder.display_name if self.holder else ""

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None

    @property
    def is_to_pay(self) -> bool:
        """Confirmed, with a price, not paid yet: "à payer"."""
        return self.status == self.Status.CONFIRMED and self.amount_due > 0 and self.paid_at is None


class Occupation(models.Model):
    """One leaf unit held by one booking over [starts_at, ends_at + buffer).

    The database refuses two overlapping occupations of the same leaf (see module doc).
    """

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    leaf = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="occupations")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["leaf", "starts_at"])]


class FacilityReport(models.Model):
    """A problem in a facility reported by a user or an agent; it becomes a work order
    (`guichet.interventions`), and closing the work order closes the report."""

    class Status(models.TextChoices):
        OPEN = "open", _("intervention programmée")
        CLOSED = "closed", _("résolu")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("espace")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="facility_reports",
    )
    description = models.TextField(_("problème constaté"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    resolution = models.TextField(_("compte rendu"), blank=True)
    request_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signalement d'un problème")
        verbose_name_plural = _("signalements de problèmes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "request_key"],
                condition=~models.Q(request_key=""),
                name="unique_facility_report_request_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility} — {self.description[:60]}"


# --- Loans to organisations ---------------------------------------------------------------------


class Equipment(models.Model):
    """Equipment lent in quantity (200 folding chairs, one sound system), kept at a facility.

    The database refuses holds that would lend more than the stock at any moment
    (triggers of migration 0003, see `docs/adr/0023-loans-in-the-facilities-registry.md`)."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    facility = models.ForeignKey(
        Facility,
        on_delete=models.CASCADE,
        related_name="equipment",
        verbose_name=_("stocké à"),
    )
    name = models.CharField(_("nom"), max_length=200)
    stock = models.PositiveIntegerField(
        _("quantité en stock"), default=1, validators=[MinValueValidator(1)]
    )
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("matériel prêté")
        verbose_name_plural = _("matériel prêté")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="unique_equipment_name"),
            models.CheckConstraint(
                condition=models.Q(stock__gte=1), name="equipment_stock_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Loan(models.Model):
    """Rooms and equipment lent to an organisation for whole days, decided by an agent.

    Nothing is held while the request waits: approving holds the rooms (a confirmed
    booking each) and the equipment (`EquipmentHold`), under the database guarantees."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("demandé")
        APPROVED = "approved", _("accordé")
        REFUSED = "refused", _("refusé")
        CANCELLED = "cancelled", _("annulé")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="facility_loans"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au (inclus)"))
    purpose = models.CharField(_("pour quoi faire"), max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    reference = models.CharField(_("référence"), max_length=32)
    request_key = models.CharField(max_length=64, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("prêt")
        verbose_name_plural = _("prêts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "reference"], name="unique_loan_reference"
            ),
            models.UniqueConstraint(
                fields=["authority", "request_key"],
                condition=~models.Q(request_key=""),
                name="unique_loan_request_key",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="loan_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class LoanLine(models.Model):
    """One room (a unit) or a quantity of one piece of equipment asked in a loan."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="lines")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="loan_lines"
    )
    equipment = models.ForeignKey(
        Equipment, null=True, blank=True, on_delete=models.PROTECT, related_name="loan_lines"
    )
    quantity = models.PositiveIntegerField(_("quantité"), default=1)
    # The confirmed booking that holds the room once the loan is approved.
    booking = models.OneToOneField(
        Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="loan_line"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(unit__isnull=False, equipment__isnull=True, quantity=1)
                    | models.Q(unit__isnull=True, equipment__isnull=False, quantity__gte=1)
                ),
                name="loan_line_one_room_or_equipment",
            )
        ]

    def __str__(self) -> str:
        if self.unit_id:
            return str(self.unit)
        return f"{self.quantity} × {self.equipment}"  # noqa: RUF001 (the French times sign)


class EquipmentHold(models.Model):
    """A quantity of equipment held by an approved loan line over [starts_at, ends_at).

    The database refuses a hold that would make the quantity held at some moment exceed
    the equipment's stock (see `Equipment`)."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="+")
    line = models.OneToOneField(LoanLine, on_delete=models.CASCADE, related_name="hold")
    quantity = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["equipment", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="equipment_hold_ends_after_start",
            )
        ]
