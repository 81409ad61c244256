"""Street reports (signalements): categories routed to services, reports, followers, photos
and their public history (which the Open311 updates extension also serves)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """What can be reported (a pothole, a broken street light…), routed to one service.

    `questions` are the extra questions, each `{code, label, type, required, values}` with
    `type` among Open311's datatypes (string, number, text, singlevaluelist, multivaluelist)
    and `values` a list of `{key, name}` for the lists.
    """

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    code = models.SlugField(_("code"))
    name = models.CharField(_("nom"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    group = models.CharField(_("groupe"), max_length=80, blank=True)
    keywords = models.CharField(_("mots-clés"), max_length=200, blank=True)
    service = models.ForeignKey(
        "accounts.Service", on_delete=models.PROTECT, related_name="report_categories"
    )
    questions = models.JSONField(_("questions complémentaires"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("catégorie de signalement")
        verbose_name_plural = _("catégories de signalement")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "code"], name="unique_category_code")
        ]

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("reçu")
        ACCEPTED = "accepted", _("pris en compte")
        SCHEDULED = "scheduled", _("intervention programmée")
        FIXED = "fixed", _("résolu")
        REJECTED = "rejected", _("hors compétence")
        MERGED = "merged", _("fusionné avec un autre signalement")

    OPEN = (Status.SUBMITTED, Status.ACCEPTED, Status.SCHEDULED)

    class Channel(models.TextChoices):
        WEB = "web", _("site")
        API = "api", _("API Open311")
        AGENT = "agent", _("saisi par un agent")

    authority = models.ForeignKey("tenants.Authority", on_delete=models.CASCADE)
    number = models.CharField(_("numéro"), max_length=32)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports")
    service = models.ForeignKey("accounts.Service", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.WEB)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=4000)
    answers = models.JSONField(default=dict, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(_("nom"), max_length=150, blank=True)
    contact_email = models.EmailField(_("courriel"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    media_url = models.URLField(_("lien vers une photo"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    competent_body = models.CharField(_("organisme compétent"), max_length=200, blank=True)
    status_notes = models.TextField(_("message à la personne"), blank=True)
    # The form's one-time key: a second submission of the same form finds the first report.
    submission = models.CharField(max_length=36, blank=True, editable=False)
    created_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="unique_report_number"),
            models.UniqueConstraint(
                fields=["authority", "submission"],
                condition=~models.Q(submission=""),
                name="unique_report_submission",
            ),
        ]
        indexes = [models.Index(fields=["authority", "category", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.category}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def open311_status(self) -> str:
        return "open" if self.is_open else "closed"


class ReportPhoto(models.Model):
    """A re-encoded photo (no metadata); shown to the public once an agent approved it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="signalements/%Y/%m/")
    is_public = models.BooleanField(_("visible du public"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class ReportFollower(models.Model):
    """A "+1": someone who saw the same problem and wants to hear of its repair."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("courriel"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "email"], name="unique_report_follower")
        ]


class ReportUpdate(models.Model):
    """One public step of a report's life (Open311 `servicerequestupdates`)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=12, choices=Report.Status.choices)
    description = models.TextField(blank=True)
    photo = models.FileField(upload_to="signalements/%Y/%m/", blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
