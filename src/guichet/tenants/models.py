from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.tenants.colours import validate_readable_colour

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Couleur au format #RRGGBB."))


class Authority(models.Model):
    """A local authority (collectivité): the tenant every other row belongs to."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        EPCI = "epci", _("Intercommunalité (EPCI)")
        METROPOLE = "metropole", _("Métropole")
        DEPARTEMENT = "departement", _("Département")
        REGION = "region", _("Région")

    class Compliance(models.TextChoices):
        FULL = "full", _("totalement conforme")
        PARTIAL = "partial", _("partiellement conforme")
        NONE = "none", _("non conforme")

    slug = models.SlugField(unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    official_code = models.CharField(
        _("code officiel (INSEE ou SIREN)"), max_length=14, help_text=_("INSEE ou SIREN")
    )
    population = models.PositiveIntegerField(_("population"), default=0)
    # Branding
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    primary_colour = models.CharField(
        _("couleur principale"),
        max_length=7,
        default="#000091",
        validators=[colour_validator, validate_readable_colour],
    )
    accent_colour = models.CharField(
        _("couleur d'accent"),
        max_length=7,
        default="#c9191e",
        validators=[colour_validator, validate_readable_colour],
    )
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    # The legal accessibility statement (déclaration d'accessibilité).
    accessibility_compliance = models.CharField(
        _("conformité RGAA"), max_length=8, choices=Compliance.choices, default=Compliance.PARTIAL
    )
    accessibility_audit_date = models.DateField(_("date de l'audit"), null=True, blank=True)
    accessibility_rate = models.PositiveSmallIntegerField(
        _("taux de conformité (%)"), null=True, blank=True
    )
    accessibility_exceptions = models.TextField(_("contenus non accessibles"), blank=True)
    accessibility_contact = models.TextField(_("retour d'information et contact"), blank=True)

    class Meta:
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AuthorityHost(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="hosts")
    host = models.CharField(_("nom d'hôte"), max_length=253, unique=True)

    class Meta:
        verbose_name = _("nom d'hôte")
        verbose_name_plural = _("noms d'hôte")

    def __str__(self) -> str:
        return self.host
