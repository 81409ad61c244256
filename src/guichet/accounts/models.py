from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person: resident, agent or administrator of one authority (platform staff have none).

    The e-mail is the login within an authority; `username` is an internal key
    (`<authority slug>:<email>`) so that the same e-mail may exist in two authorities.
    """

    authority = models.ForeignKey(
        "tenants.Authority", null=True, blank=True, on_delete=models.CASCADE, related_name="users"
    )
    email = models.EmailField(_("adresse électronique"))
    is_email_verified = models.BooleanField(_("courriel vérifié"), default=False)
    is_authority_admin = models.BooleanField(_("administrateur de la collectivité"), default=False)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    address = models.CharField(_("adresse postale"), max_length=300, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "email"], name="unique_email_per_authority"
            )
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_agent(self) -> bool:
        return self.is_authority_admin or self.memberships.exists()


class Service(models.Model):
    """A department of the authority (état civil, voirie…) that processes cases."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    slug = models.SlugField()
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("courriel du service"), blank=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "slug"], name="unique_service_slug")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """An agent's role in a service; workflow transitions name these roles."""

    class Role(models.TextChoices):
        AGENT = "agent", _("agent instructeur")
        MANAGER = "manager", _("responsable")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.AGENT)

    class Meta:
        verbose_name = _("rattachement")
        constraints = [
            models.UniqueConstraint(fields=["user", "service"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.service} ({self.role})"


class Organisation(models.Model):
    """A legal person (association, company) for which representatives act."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    name = models.CharField(_("nom"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14)
    rna = models.CharField(_("numéro RNA"), max_length=10, blank=True)
    address = models.CharField(_("adresse du siège"), max_length=300)
    purpose = models.TextField(_("objet"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "siret"], name="unique_organisation_siret")
        ]

    def __str__(self) -> str:
        return self.name


class RepresentativeQuerySet(models.QuerySet["Representative"]):
    def active(self) -> "RepresentativeQuerySet":
        """Joined and not gone: only these act for the organisation."""
        return self.filter(user__isnull=False, left_at__isnull=True)

    def pending(self) -> "RepresentativeQuerySet":
        return self.filter(user__isnull=True, left_at__isnull=True)


class Representative(models.Model):
    """A person acting for an organisation, from the invitation to the day they leave."""

    class Role(models.TextChoices):
        PRESIDENT = "president", _("président ou présidente")
        TREASURER = "treasurer", _("trésorier ou trésorière")
        SECRETARY = "secretary", _("secrétaire")
        MEMBER = "member", _("membre")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="representatives"
    )
    # Empty until the invited person accepts with an account of this e-mail address.
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="representations"
    )
    email = models.EmailField(_("adresse électronique"))
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices)
    invitation_token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("représentant")
        ordering = ["organisation", "invited_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(left_at__isnull=True),
                name="unique_current_representative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.organisation} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.user_id is not None and self.left_at is None
