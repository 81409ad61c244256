"""Work orders: what a team does in the field, from any source (a street report, a
building's maintenance request…) without this app knowing the source's domain."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkOrder(models.Model):
    class Priority(models.TextChoices):
        LOW = "low", _("basse")
        NORMAL = "normal", _("normale")
        HIGH = "high", _("haute")
        URGENT = "urgent", _("urgente")

    class Status(models.TextChoices):
        PLANNED = "planned", _("programmée")
        STARTED = "started", _("en cours")
        DONE = "done", _("terminée")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    service = models.ForeignKey(
        "accounts.Service", on_delete=models.PROTECT, related_name="work_orders"
    )
    number = models.CharField(_("numéro"), max_length=32)
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("travaux à faire"), blank=True)
    team = models.CharField(_("équipe"), max_length=120, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("agent de terrain"),
    )
    priority = models.CharField(
        _("priorité"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    planned_date = models.DateField(_("date prévue"), null=True, blank=True)
    materials = models.TextField(_("matériel"), blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED)
    comment = models.TextField(_("compte rendu"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bon d'intervention")
        verbose_name_plural = _("bons d'intervention")
        ordering = ["planned_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="unique_work_order_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class WorkOrderSource(models.Model):
    """What the work order answers: any row of any domain (generic link)."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="sources")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("content_type", "object_id")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["work_order", "content_type", "object_id"], name="unique_work_order_source"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]


class WorkOrderPhoto(models.Model):
    class Kind(models.TextChoices):
        BEFORE = "before", _("avant")
        AFTER = "after", _("après")

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    image = models.FileField(upload_to="interventions/%Y/%m/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
