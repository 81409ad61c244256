"""Problem reports (to work orders), online payment of bookings, and organisations as
foreign keys next to the names kept as text until 0004 links them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organisations_and_representatives"),
        ("facilities", "0002_no_double_booking"),
        ("payments", "0001_regies_and_payments"),
        ("tenants", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="facility_bookings",
                to="accounts.organisation",
                verbose_name="association",
            ),
        ),
        migrations.AddField(
            model_name="booking",
            name="paid_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="payée le"),
        ),
        migrations.AddField(
            model_name="booking",
            name="payment_reference",
            field=models.CharField(blank=True, max_length=40, verbose_name="référence du paiement"),
        ),
        migrations.AddField(
            model_name="facility",
            name="regie",
            field=models.ForeignKey(
                blank=True,
                help_text="Encaisse en ligne les réservations payantes ; sans régie, le montant est à régler auprès du service.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="payments.regie",
                verbose_name="régie",
            ),
        ),
        migrations.AddField(
            model_name="seasonapplication",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="season_applications",
                to="accounts.organisation",
                verbose_name="association",
            ),
        ),
        migrations.CreateModel(
            name="FacilityReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("description", models.TextField(verbose_name="problème constaté")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "intervention programmée"), ("closed", "résolu")],
                        default="open",
                        max_length=8,
                    ),
                ),
                ("resolution", models.TextField(blank=True, verbose_name="compte rendu")),
                ("request_key", models.CharField(blank=True, max_length=64)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "authority",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="tenants.authority"
                    ),
                ),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="facilities.facility",
                    ),
                ),
                (
                    "reporter",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="facility_reports",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="facilities.unit",
                        verbose_name="espace",
                    ),
                ),
            ],
            options={
                "verbose_name": "signalement d'un problème",
                "verbose_name_plural": "signalements de problèmes",
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("request_key", ""), _negated=True),
                        fields=("authority", "request_key"),
                        name="unique_facility_report_request_key",
                    )
                ],
            },
        ),
    ]
