"""Reading what the RGPD asks to show: the access log, the register of processing."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.core.models import AuditEvent
from guichet.engine.models import Procedure
from guichet.privacy.models import DataProtectionOfficer
from guichet.tenants.models import Authority


def is_data_protection_officer(*, user: Any, authority: Authority) -> bool:
    if not user.is_authenticated or user.authority_id != authority.pk:
        return False
    return bool(
        user.is_authority_admin
        or DataProtectionOfficer.objects.filter(authority=authority, user=user).exists()
    )


def access_log(
    *,
    authority: Authority,
    actor: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Agents' accesses to and actions on personal data, newest first."""
    events = AuditEvent.objects.filter(authority=authority).select_related("actor")
    if actor:
        events = events.filter(actor__email__icontains=actor.strip())
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events


def access_log_rows(events: QuerySet[AuditEvent]) -> Any:
    for event in events.iterator(chunk_size=2000):
        actor: User | None = event.actor
        yield [
            event.at.isoformat(timespec="seconds"),
            actor.email if actor else "",
            event.get_action_display(),
            event.object_type,
            event.object_id,
        ]


def _years(days: int) -> str:
    if days % 365 == 0:
        years = days // 365
        return _("%(n)s an") % {"n": years} if years == 1 else _("%(n)s ans") % {"n": years}
    return _("%(n)s jours") % {"n": days}


def processing_register(*, authority: Authority) -> list[dict[str, Any]]:
    """The register of processing activities (art. 30 RGPD), one entry per procedure,
    generated from its published definition."""
    entries = []
    procedures = Procedure.objects.filter(authority=authority).select_related("service")
    for procedure in procedures.order_by("name"):
        version = procedure.versions.exclude(published_at=None).order_by("-number").first()
        if version is None:
            continue
        fields = [field.label or field.name for field in version.parsed.fields]
        entries.append(
            {
                "procedure": procedure.name,
                "purpose": procedure.description or procedure.name,
                "legal_basis": _("Mission d'intérêt public ou obligation légale (art. 6.1.c et e)"),
                "data": fields,
                "people": procedure.get_audience_display(),
                "recipients": _("Agents du service « %(service)s » de %(authority)s")
                % {"service": procedure.service.name, "authority": authority.name},
                "retention": _years(procedure.retention_days),
                "retention_days": procedure.retention_days,
                "version": version.number,
            }
        )
    return entries
