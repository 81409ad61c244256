from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """An e-mail rendered when its cause happened, delivered later by a task.

    Rendering at the cause keeps the task idempotent: it only delivers, once.
    """

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    to = models.EmailField(_("destinataire"))
    subject = models.CharField(_("objet"), max_length=250)
    body = models.TextField(_("message"))
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    attachment_path = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("courriel")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
