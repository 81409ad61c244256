from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A partner's key to an authority's API (Open311 clients, national relays…).

    Only a hash is stored: the key is shown once, when it is created.
    """

    class Scope(models.TextChoices):
        OPEN311 = "open311", _("signalements (Open311)")
        RELAY = "relay", _("demandes relayées par un portail national")
        READ = "read", _("lecture des données ouvertes")

    authority = models.ForeignKey(
        "tenants.Authority", on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(_("nom du partenaire"), max_length=200)
    scopes = models.JSONField(_("droits"), default=list)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("clé d'API")
        verbose_name_plural = _("clés d'API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class OidcIdentity(models.Model):
    """A person's account at an OpenID Connect provider (FranceConnect, an authority's own
    single sign-on), linked to their account here: the provider's `sub` is the key."""

    authority = models.ForeignKey(
        "tenants.Authority", on_delete=models.CASCADE, related_name="oidc_identities"
    )
    provider = models.CharField(_("fournisseur d'identité"), max_length=64)
    subject = models.CharField(_("identifiant chez le fournisseur"), max_length=255)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="oidc_identities"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("identité fédérée")
        verbose_name_plural = _("identités fédérées")
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "provider", "subject"], name="unique_oidc_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"
