from django.core.management import call_command
from django.utils import timezone

from guichet.real_estate import selectors
from guichet.real_estate.models import Invoice, Operation
from guichet.tenants.models import Authority


def test_demo__operations_in_several_phases_with_budgets_contracts_invoices_and_risks(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    city = Authority.objects.get(slug="ville-demo")
    today = timezone.localdate()
    operations = {o.name: o for o in Operation.objects.filter(authority=city)}
    current = {
        name: str(selectors.operation_progress(operation=o, today=today)["current"])
        for name, o in operations.items()
    }
    assert current == {
        "Rénovation énergétique de l'école Jules-Ferry": "Travaux",
        "Construction du gymnase des Acacias": "Avant-projet sommaire (APS)",
        "Mise en accessibilité de la mairie": "Réception",
        "Extension de la cantine de l'école des Tilleuls": "Programmation",
    }
    school = operations["Rénovation énergétique de l'école Jules-Ferry"]
    gym = operations["Construction du gymnase des Acacias"]
    assert selectors.budget_summary(operation=gym).is_forecast_overrun is True
    assert [
        p.kind for p in selectors.operation_progress(operation=school, today=today)["late"]
    ] == ["dce"]
    assert sorted(
        Invoice.objects.filter(contract__operation=school).values_list("number", flat=True)
    ) == ["ALA-2025-031", "BC-0412", "BC-0455", "MV-1187"]
    assert school.risks.count() == 3
    assert operations[
        "Extension de la cantine de l'école des Tilleuls"
    ].requesting_service.slug == ("ecoles")
    assert Operation.objects.count() == 8  # four in each demo authority, seeded once
