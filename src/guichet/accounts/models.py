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
