from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataProtectionOfficer(models.Model):
    """The authority's data protection officer (délégué à la protection des données): reads
    the agents' access log and the register of processing activities."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dpo_appointments"
    )
    appointed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("délégué à la protection des données")
        verbose_name_plural = _("délégués à la protection des données")
        constraints = [models.UniqueConstraint(fields=["authority", "user"], name="unique_dpo")]

    def __str__(self) -> str:
        return str(self.user)


class PrivacyEvent(models.Model):
    """What was done to personal data, by whom: retention sweeps, exports, closed accounts."""

    class Kind(models.TextChoices):
        RETENTION_SWEEP = "retention_sweep", _("purge des données échues")
        DATA_EXPORTED = "data_exported", _("données téléchargées par la personne")
        ACCOUNT_CLOSED = "account_closed", _("compte fermé par la personne")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # The person concerned, by id only: after a closure nothing else is left of them.
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("traitement de données personnelles")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


class CaseErasure(models.Model):
    """A case whose personal data the retention sweep erased (the case and its numbers stay,
    for the statistics)."""

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    case = models.OneToOneField("engine.Case", on_delete=models.CASCADE, related_name="erasure")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dossier anonymisé")
        verbose_name_plural = _("dossiers anonymisés")
