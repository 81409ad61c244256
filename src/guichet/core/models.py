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
        PROCEDURE_CHANGED = "procedure_changed", _("démarche modifiée")
        REPORT_FILED = "report.file", _("signalement déposé")
        REPORT_SUBMITTED = "report.submitted", _("signalement remis à l'état reçu")
        REPORT_ACCEPTED = "report.accepted", _("signalement pris en compte")
        REPORT_SCHEDULED = "report.scheduled", _("intervention programmée sur un signalement")
        REPORT_FIXED = "report.fixed", _("signalement résolu")
        REPORT_REJECTED = "report.rejected", _("signalement hors compétence")
        REPORT_MERGED = "report.merged", _("signalement fusionné")
        REPORT_REROUTED = "report.reroute", _("signalement réorienté")
        REPORT_PHOTO_PUBLISHED = "report.photo_publish", _("photo de signalement publiée")
        REPORT_PHOTO_HIDDEN = "report.photo_hide", _("photo de signalement masquée")
        WORK_ORDER_CREATED = "work_order.create", _("bon d'intervention créé")
        WORK_ORDER_STARTED = "work_order.start", _("bon d'intervention commencé")
        WORK_ORDER_DONE = "work_order.done", _("bon d'intervention terminé")

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
