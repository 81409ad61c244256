"""Loans of rooms and equipment to organisations, and equipment never lent beyond its stock.

The database refuses an equipment hold that would make the quantity held at some moment
exceed the stock: the peak over the new hold's range is reached at its start or at the start
of another hold inside it, so those instants are the only ones to add up.
PostgreSQL: a trigger that first locks the equipment row, so two transactions holding the
same equipment run their checks one after the other (each statement of the trigger sees
what the previous holder committed). SQLite: the same check in triggers; SQLite serialises
writers. Both raise an IntegrityError naming `facilities_over_stock`.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CONSTRAINT = "facilities_over_stock"

# Quantity already held at each instant where the peak over [NEW.starts_at, NEW.ends_at) can be.
PEAK = """
    SELECT COALESCE(MAX(used), 0) {into} FROM (
        SELECT (
            SELECT COALESCE(SUM(held.quantity), 0) FROM facilities_equipmenthold AS held
            WHERE held.equipment_id = NEW.equipment_id AND held.id IS DISTINCT FROM NEW.id
              AND held.starts_at <= instant.at AND instant.at < held.ends_at
        ) AS used
        FROM (
            SELECT NEW.starts_at AS at
            UNION
            SELECT other.starts_at FROM facilities_equipmenthold AS other
            WHERE other.equipment_id = NEW.equipment_id
              AND other.starts_at > NEW.starts_at AND other.starts_at < NEW.ends_at
        ) AS instant
    ) AS peaks
"""

POSTGRES_UP = [
    f"""CREATE FUNCTION {CONSTRAINT}() RETURNS trigger LANGUAGE plpgsql VOLATILE AS $$
    DECLARE
        in_stock integer;
        peak integer;
    BEGIN
        SELECT stock INTO in_stock FROM facilities_equipment
        WHERE id = NEW.equipment_id FOR UPDATE;
        {PEAK.format(into="INTO peak")};
        IF peak + NEW.quantity > in_stock THEN
            RAISE EXCEPTION '{CONSTRAINT}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$""",  # noqa: S608 (built from this module's constants only)
    f"""CREATE TRIGGER {CONSTRAINT} BEFORE INSERT OR UPDATE ON facilities_equipmenthold
        FOR EACH ROW EXECUTE FUNCTION {CONSTRAINT}()""",
]
POSTGRES_DOWN = [
    f"DROP TRIGGER IF EXISTS {CONSTRAINT} ON facilities_equipmenthold",
    f"DROP FUNCTION IF EXISTS {CONSTRAINT}()",
]

SQLITE_CHECK = f"""
    SELECT RAISE(ABORT, '{CONSTRAINT}') WHERE NEW.quantity + ({PEAK.format(into="")})
        > (SELECT stock FROM facilities_equipment WHERE id = NEW.equipment_id);
"""  # noqa: S608 (built from this module's constants only)
SQLITE_UP = [
    f"""CREATE TRIGGER {CONSTRAINT}_insert BEFORE INSERT ON facilities_equipmenthold
        BEGIN {SQLITE_CHECK} END""",
    f"""CREATE TRIGGER {CONSTRAINT}_update BEFORE UPDATE ON facilities_equipmenthold
        BEGIN {SQLITE_CHECK} END""",
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {CONSTRAINT}_insert",
    f"DROP TRIGGER IF EXISTS {CONSTRAINT}_update",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organisations_and_representatives"),
        ("facilities", "0005_remove_organisation_names"),
        ("tenants", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="facility",
            name="kind",
            field=models.CharField(
                choices=[
                    ("hall", "salle polyvalente"),
                    ("gym", "gymnase"),
                    ("pool", "piscine"),
                    ("meeting_room", "salle de réunion"),
                    ("stadium", "stade"),
                    ("store", "parc de matériel"),
                ],
                max_length=16,
                verbose_name="type",
            ),
        ),
        migrations.CreateModel(
            name="Equipment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="nom")),
                (
                    "stock",
                    models.PositiveIntegerField(
                        default=1,
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="quantité en stock",
                    ),
                ),
                (
                    "description",
                    models.CharField(blank=True, max_length=300, verbose_name="description"),
                ),
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
                        related_name="equipment",
                        to="facilities.facility",
                        verbose_name="stocké à",
                    ),
                ),
            ],
            options={
                "verbose_name": "matériel prêté",
                "verbose_name_plural": "matériel prêté",
                "ordering": ["name"],
            },
        ),
        migrations.CreateModel(
            name="Loan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_on", models.DateField(verbose_name="du")),
                ("ends_on", models.DateField(verbose_name="au (inclus)")),
                ("purpose", models.CharField(max_length=300, verbose_name="pour quoi faire")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("requested", "demandé"),
                            ("approved", "accordé"),
                            ("refused", "refusé"),
                            ("cancelled", "annulé"),
                        ],
                        default="requested",
                        max_length=12,
                    ),
                ),
                ("reference", models.CharField(max_length=32, verbose_name="référence")),
                ("request_key", models.CharField(blank=True, max_length=64)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("comment", models.TextField(blank=True, verbose_name="commentaire")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "authority",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="tenants.authority"
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="facility_loans",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "prêt",
                "verbose_name_plural": "prêts",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="LoanLine",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("quantity", models.PositiveIntegerField(default=1, verbose_name="quantité")),
                (
                    "authority",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="tenants.authority"
                    ),
                ),
                (
                    "booking",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="loan_line",
                        to="facilities.booking",
                    ),
                ),
                (
                    "equipment",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="loan_lines",
                        to="facilities.equipment",
                    ),
                ),
                (
                    "loan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lines",
                        to="facilities.loan",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="loan_lines",
                        to="facilities.unit",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
            },
        ),
        migrations.CreateModel(
            name="EquipmentHold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("quantity", models.PositiveIntegerField()),
                ("starts_at", models.DateTimeField()),
                ("ends_at", models.DateTimeField()),
                (
                    "authority",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="tenants.authority"
                    ),
                ),
                (
                    "equipment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="facilities.equipment",
                    ),
                ),
                (
                    "line",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="hold",
                        to="facilities.loanline",
                    ),
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="equipment",
            constraint=models.UniqueConstraint(
                fields=("facility", "name"), name="unique_equipment_name"
            ),
        ),
        migrations.AddConstraint(
            model_name="equipment",
            constraint=models.CheckConstraint(
                condition=models.Q(("stock__gte", 1)), name="equipment_stock_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="loan",
            constraint=models.UniqueConstraint(
                fields=("authority", "reference"), name="unique_loan_reference"
            ),
        ),
        migrations.AddConstraint(
            model_name="loan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("request_key", ""), _negated=True),
                fields=("authority", "request_key"),
                name="unique_loan_request_key",
            ),
        ),
        migrations.AddConstraint(
            model_name="loan",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_on__gte", models.F("starts_on"))),
                name="loan_ends_after_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="loanline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("equipment__isnull", True), ("quantity", 1), ("unit__isnull", False)),
                    models.Q(
                        ("equipment__isnull", False), ("quantity__gte", 1), ("unit__isnull", True)
                    ),
                    _connector="OR",
                ),
                name="loan_line_one_room_or_equipment",
            ),
        ),
        migrations.AddIndex(
            model_name="equipmenthold",
            index=models.Index(
                fields=["equipment", "starts_at"], name="facilities__equipme_9bf57c_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="equipmenthold",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                name="equipment_hold_ends_after_start",
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
