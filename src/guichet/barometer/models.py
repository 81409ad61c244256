from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.barometer.maturity import STRATA
from guichet.barometer.questionnaire import TEMPLATES

STRATUM_CHOICES = [(code, code) for code in STRATA]


class NetworkOperator(models.Model):
    """A person who runs the network's campaigns (the annual barometer) from their
    authority's back office; campaigns belong to that authority."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_operator"
    )
    network_name = models.CharField(_("réseau"), max_length=200)

    class Meta:
        verbose_name = _("opérateur de réseau")
        verbose_name_plural = _("opérateurs de réseau")

    def __str__(self) -> str:
        return f"{self.user} — {self.network_name}"


class Campaign(models.Model):
    """One year's barometer: a questionnaire template, a frame and respondents."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    slug = models.SlugField(unique=True)
    name = models.CharField(_("nom"), max_length=200)
    year = models.PositiveSmallIntegerField(_("année"))
    template = models.CharField(
        _("questionnaire"), max_length=16, choices=[(key, key) for key in TEMPLATES]
    )
    is_published = models.BooleanField(_("publiée"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campagne")
        ordering = ["-year", "slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def questionnaire(self):
        return TEMPLATES[self.template]


class FrameStratum(models.Model):
    """The frame: how many authorities of a kind exist (N_h) and how many were invited."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="frame")
    stratum = models.CharField(max_length=16, choices=STRATUM_CHOICES)
    population = models.PositiveIntegerField(_("nombre de collectivités (N_h)"))
    invited = models.PositiveIntegerField(_("invitées"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "stratum"], name="unique_frame_stratum")
        ]


class Invitation(models.Model):
    """An authority hosted on this instance, invited to answer in the app."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    authority = models.ForeignKey(
        "tenants.Authority", on_delete=models.CASCADE, related_name="barometer_invitations"
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "authority"], name="unique_invitation")
        ]


class Respondent(models.Model):
    """One answer sheet: imported from a spreadsheet or given in the app by an invited
    authority. `answers` maps item codes to values (lists for multiple choices)."""

    class Source(models.TextChoices):
        IMPORT = "import", _("import")
        APP = "app", _("dans l'application")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="respondents")
    key = models.CharField(_("répondant"), max_length=100)
    stratum = models.CharField(max_length=16, choices=STRATUM_CHOICES)
    authority = models.ForeignKey(
        "tenants.Authority", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(default=dict)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.IMPORT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "key"], name="unique_respondent")
        ]

    def __str__(self) -> str:
        return self.key


class Declaration(models.Model):
    """The authority's self-assessment for a year: answers keyed by the questionnaire's codes
    (the declared levels are the `q6_<domain>_<axis>` items)."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="unique_declaration")
        ]


class Snapshot(models.Model):
    """Indicators of one scope (authority, optional domain or procedure) over one period,
    stored so that dashboards read them instantly."""

    class Period(models.TextChoices):
        MONTH = "month", _("mois")
        QUARTER = "quarter", _("trimestre")
        YEAR = "year", _("année")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    period = models.CharField(max_length=8, choices=Period.choices)
    start = models.DateField()
    # "all", "domain:<code>" or "procedure:<id>": the unique key of the scope.
    scope = models.CharField(max_length=40)
    domain = models.CharField(max_length=16, blank=True)  # empty: every domain
    procedure = models.ForeignKey(
        "engine.Procedure", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    values = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["authority", "period", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "period", "start", "scope"], name="unique_snapshot"
            )
        ]
