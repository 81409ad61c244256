from typing import Any

from guichet.core.models import AuditEvent


def audit_record(
    *,
    authority_id: int,
    actor_id: int | None,
    action: str,
    obj: Any,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        authority_id=authority_id,
        actor_id=actor_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        detail=detail or {},
    )
