"""Writes for work orders. Sources are any model rows; domains react to `work_order_done`."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Service, User
from guichet.core.audit import audit_record
from guichet.core.errors import DomainError, ErrorCode
from guichet.documents.images import ImageError, image_reencode
from guichet.engine.models import CaseCounter
from guichet.interventions.models import WorkOrder, WorkOrderPhoto, WorkOrderSource
from guichet.interventions.signals import work_order_done


def _next_number(authority_id: int) -> str:
    """The engine's per-authority yearly counter (code "BI"): the UPDATE takes the row
    lock, so concurrent filings queue and each gets its own number."""
    year = timezone.localdate().year
    counter, _created = CaseCounter.objects.get_or_create(
        authority_id=authority_id, code="BI", year=year
    )
    CaseCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{year}-BI-{counter.last:05d}"


def _photo(work_order: WorkOrder, kind: str, upload: UploadedFile) -> WorkOrderPhoto:
    try:
        clean = image_reencode(upload, name=f"{work_order.number}-{kind}")
    except ImageError as error:
        raise DomainError(
            ErrorCode.INVALID_FILE, _("La photo n'est pas une image lisible.")
        ) from error
    photo = WorkOrderPhoto(work_order=work_order, kind=kind)
    photo.image.save(clean.name, clean, save=True)
    return photo


@transaction.atomic
def work_order_create(
    *,
    service: Service,
    title: str,
    by: User | None,
    sources: Iterable[Any] = (),
    description: str = "",
    team: str = "",
    assignee: User | None = None,
    priority: str = WorkOrder.Priority.NORMAL,
    planned_date: datetime.date | None = None,
    materials: str = "",
    before_photo: UploadedFile | None = None,
) -> WorkOrder:
    if assignee is not None and assignee.authority_id != service.authority_id:
        raise DomainError(ErrorCode.NOT_ALLOWED, _("Cet agent n'est pas de la collectivité."))
    work_order = WorkOrder.objects.create(
        authority_id=service.authority_id,
        service=service,
        number=_next_number(service.authority_id),
        title=title,
        description=description,
        team=team,
        assignee=assignee,
        priority=priority,
        planned_date=planned_date,
        materials=materials,
        created_by=by,
    )
    for source in sources:
        if getattr(source, "authority_id", service.authority_id) != service.authority_id:
            raise DomainError(ErrorCode.NOT_ALLOWED, _("Source d'une autre collectivité."))
        WorkOrderSource.objects.get_or_create(
            work_order=work_order,
            content_type=ContentType.objects.get_for_model(source),
            object_id=source.pk,
        )
    if before_photo is not None:
        _photo(work_order, WorkOrderPhoto.Kind.BEFORE, before_photo)
    audit_record(
        authority_id=service.authority_id,
        actor_id=by.pk if by else None,
        action="work_order.create",
        obj=work_order,
    )
    return work_order


def work_order_sources(work_order: WorkOrder) -> list[Any]:
    return [link.source for link in work_order.sources.select_related("content_type")]


@transaction.atomic
def work_order_start(
    *, work_order: WorkOrder, by: User, photo: UploadedFile | None = None
) -> WorkOrder:
    work_order = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
    if work_order.status != WorkOrder.Status.PLANNED:
        raise DomainError(ErrorCode.ALREADY_DONE, _("L'intervention a déjà commencé."))
    work_order.status = WorkOrder.Status.STARTED
    work_order.started_at = timezone.now()
    work_order.save(update_fields=["status", "started_at"])
    if photo is not None:
        _photo(work_order, WorkOrderPhoto.Kind.BEFORE, photo)
    audit_record(
        authority_id=work_order.authority_id,
        actor_id=by.pk,
        action="work_order.start",
        obj=work_order,
    )
    return work_order


@transaction.atomic
def work_order_close(
    *, work_order: WorkOrder, by: User, comment: str = "", photo: UploadedFile | None = None
) -> WorkOrder:
    """Done: the sources' domains close their rows and notify (signal `work_order_done`)."""
    work_order = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
    if work_order.status == WorkOrder.Status.DONE:
        raise DomainError(ErrorCode.ALREADY_DONE, _("L'intervention est déjà terminée."))
    after = _photo(work_order, WorkOrderPhoto.Kind.AFTER, photo) if photo is not None else None
    now = timezone.now()
    work_order.status = WorkOrder.Status.DONE
    work_order.started_at = work_order.started_at or now
    work_order.done_at = now
    work_order.comment = comment
    work_order.save(update_fields=["status", "started_at", "done_at", "comment"])
    audit_record(
        authority_id=work_order.authority_id,
        actor_id=by.pk,
        action="work_order.done",
        obj=work_order,
    )
    work_order_done.send(
        sender=WorkOrder,
        work_order=work_order,
        sources=work_order_sources(work_order),
        after_photo=after,
        by=by,
    )
    return work_order
