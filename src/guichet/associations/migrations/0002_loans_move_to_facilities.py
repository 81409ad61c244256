"""Loans move to the facilities registry (`facilities.Loan`, ADR 0023): the list of loanable
items and the requests made on it are dropped; the demo seeds the registry's equipment."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0001_vault_subsidies_loans"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="loanrequest",
            name="item",
        ),
        migrations.RemoveField(
            model_name="loanrequest",
            name="authority",
        ),
        migrations.RemoveField(
            model_name="loanrequest",
            name="decided_by",
        ),
        migrations.RemoveField(
            model_name="loanrequest",
            name="organisation",
        ),
        migrations.RemoveField(
            model_name="loanrequest",
            name="requested_by",
        ),
        migrations.DeleteModel(
            name="LoanableItem",
        ),
        migrations.DeleteModel(
            name="LoanRequest",
        ),
    ]
