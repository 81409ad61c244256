"""Invoices issued before the ledger of amounts billed existed get their charge, so that
online payment (the barometer's K4) counts them: paid online when a payment settled them."""

from django.db import migrations


def invoices_to_charges(apps, schema_editor):
    invoice_model = apps.get_model("individuals", "Invoice")
    charge_model = apps.get_model("payments", "Charge")
    payment_model = apps.get_model("payments", "Payment")
    recorded = set(
        charge_model.objects.filter(purpose="individuals.invoice").values_list(
            "authority_id", "purpose_id"
        )
    )
    charges = []
    for invoice in invoice_model.objects.filter(total__gt=0).iterator():
        if (invoice.authority_id, invoice.pk) in recorded:
            continue
        payment = (
            payment_model.objects.filter(
                authority_id=invoice.authority_id, reference=invoice.payment_reference
            ).first()
            if invoice.paid_at and invoice.payment_reference
            else None
        )
        charges.append(
            charge_model(
                authority_id=invoice.authority_id,
                domain="individuals",
                purpose="individuals.invoice",
                purpose_id=invoice.pk,
                label=invoice.number,
                amount=invoice.total,
                billed_at=invoice.issued_at,
                settlement="online" if payment else "other" if invoice.paid_at else "",
                settled_at=invoice.paid_at,
                payment=payment,
            )
        )
    charge_model.objects.bulk_create(charges, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("individuals", "0003_creche_waiting_list"),
        ("payments", "0004_charges_ledger"),
    ]

    operations = [migrations.RunPython(invoices_to_charges, migrations.RunPython.noop)]
