"""The queue as a table: the same columns in CSV, XLSX and ODS."""

from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.engine.models import Case, CaseQuerySet, ProcedureVersion


def export_header() -> list[str]:
    return [
        _("Numéro"),
        _("Démarche"),
        _("Statut"),
        _("Canal"),
        _("Demandeur"),
        _("Déposé le"),
        _("Agent attribué"),
    ]


def export_row(case: Case) -> list[Any]:
    submitted = timezone.localtime(case.submitted_at) if case.submitted_at else None
    return [
        case.number,
        case.procedure.name,
        case.status_label,
        case.get_channel_display(),
        case.person_name,
        submitted.strftime("%d/%m/%Y %H:%M") if submitted else "",
        case.assigned_to.display_name if case.assigned_to else "",
    ]


def export_rows(cases: CaseQuerySet) -> Iterator[list[Any]]:
    """Rows in chunks; each procedure version's definition is loaded and parsed once,
    not once per case (an export may hold a hundred thousand cases)."""
    versions: dict[int, ProcedureVersion] = {}
    for case in cases.defer("version__definition", "data").iterator(chunk_size=2000):
        if case.version_id not in versions:
            versions[case.version_id] = ProcedureVersion.objects.get(pk=case.version_id)
        case.version = versions[case.version_id]
        yield export_row(case)
