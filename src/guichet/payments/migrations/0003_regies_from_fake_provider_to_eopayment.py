"""The local signed-form fake provider is gone: the régies using it (the demo's) are paid
through eopayment, with the dummy backend in the demo (ADR 0022)."""

from django.db import migrations

FAKE = "guichet.payments.providers.FakeSignedFormProvider"
EOPAYMENT = "guichet.payments.providers.EopaymentProvider"


def to_eopayment(apps, schema_editor):
    Regie = apps.get_model("payments", "Regie")
    Regie.objects.filter(provider=FAKE).update(provider=EOPAYMENT, secret="")


def to_fake(apps, schema_editor):
    # Going back cannot tell the régies that were on the fake from those on eopayment.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0002_regie_provider_eopayment_by_default"),
    ]

    operations = [migrations.RunPython(to_eopayment, to_fake)]
