"""Operations, contracts and invoices as tables: the same columns in CSV, XLSX and ODS."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.real_estate import selectors
from guichet.real_estate.models import Operation


def _date(value: Any) -> str:
    return value.isoformat() if value else ""


def _operations(operations: QuerySet[Operation]) -> Iterator[list[Any]]:
    today = timezone.localdate()
    listed = list(operations.prefetch_related("phases"))
    totals = selectors.budget_totals(operation_ids=[operation.pk for operation in listed])
    for operation in listed:
        progress = selectors.operation_progress(operation=operation, today=today)
        budget = totals[operation.pk]
        current = progress["current"]
        yield [
            operation.name,
            operation.get_kind_display(),
            operation.programme,
            operation.address,
            operation.cadastral_parcel,
            operation.lead.display_name if operation.lead else "",
            operation.requesting_service.name if operation.requesting_service else "",
            current.get_kind_display() if current else "",
            progress["percent"],
            len(progress["late"]),
            budget.ap,
            budget.committed,
            budget.paid,
        ]


def _contracts(operations: QuerySet[Operation]) -> Iterator[list[Any]]:
    for contract in selectors.contracts_of(operations=operations):
        total_ht, total_ttc = selectors.contract_totals(contract=contract)
        yield [
            contract.operation.name,
            contract.lot_number,
            contract.lot_name,
            contract.contractor_name,
            contract.contractor_siret,
            contract.amount_ht,
            contract.vat_rate,
            contract.amount_ttc,
            len(contract.amendments.all()),
            total_ht,
            total_ttc,
            _date(contract.signed_on),
        ]


def _invoices(operations: QuerySet[Operation]) -> Iterator[list[Any]]:
    for invoice in selectors.invoices_of(operations=operations):
        yield [
            invoice.contract.operation.name,
            invoice.contract.lot_number,
            invoice.contract.contractor_name,
            invoice.number,
            invoice.amount_ht,
            invoice.amount_ttc,
            _date(invoice.received_on),
            _date(invoice.due_on),
            _date(invoice.certified_on),
            _date(invoice.paid_on),
            invoice.get_status_display(),
        ]


def table(
    *, what: str, operations: QuerySet[Operation]
) -> tuple[list[str], Iterator[list[Any]], str]:
    """(header, rows, sheet title) of one export."""
    if what == "contracts":
        header = [
            _("Opération"),
            _("Lot"),
            _("Intitulé du lot"),
            _("Titulaire"),
            _("SIRET"),
            _("Montant HT"),
            _("TVA (%)"),
            _("Montant TTC"),
            _("Avenants"),
            _("Total HT avec avenants"),
            _("Total TTC avec avenants"),
            _("Notifié le"),
        ]
        return header, _contracts(operations), _("Marchés")
    if what == "invoices":
        header = [
            _("Opération"),
            _("Lot"),
            _("Titulaire"),
            _("Numéro de facture"),
            _("Montant HT"),
            _("Montant TTC"),
            _("Reçue le"),
            _("À payer avant le"),
            _("Service fait le"),
            _("Payée le"),
            _("État"),
        ]
        return header, _invoices(operations), _("Factures")
    header = [
        _("Opération"),
        _("Nature"),
        _("Programme"),
        _("Adresse"),
        _("Parcelle cadastrale"),
        _("Conducteur d'opération"),
        _("Service demandeur"),
        _("Phase en cours"),
        _("Avancement (%)"),
        _("Phases en retard"),
        _("AP (TTC)"),
        _("Engagé TTC"),
        _("Payé TTC"),
    ]
    return header, _operations(operations), _("Opérations")
