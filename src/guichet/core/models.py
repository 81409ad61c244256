from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what, when: every transition and every agent's opening of personal data."""

    class Action(models.TextChoices):
        CASE_VIEWED = "case_viewed", _("dossier consulté")
        CASE_TRANSITION = "case_transition", _("changement de statut")
        CASE_EDITED = "case_edited", _("dossier corrigé")
        CASE_ASSIGNED = "case_assigned", _("dossier attribué")
        CASE_EXPORTED = "case_exported", _("dossiers exportés")
        CASE_DOWNLOADED = "case_downloaded", _("dossier téléchargé")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["authority", "object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
