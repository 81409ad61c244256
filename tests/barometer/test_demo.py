from django.core.management import call_command
from django.utils import timezone

from guichet.barometer.models import Campaign, Declaration, Respondent, Snapshot
from guichet.barometer.selectors import levels_of
from guichet.tenants.models import Authority


def test_demo_has_dashboards_and_campaigns(db):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent
    year = timezone.now().year
    for authority in Authority.objects.all():
        assert Declaration.objects.filter(authority=authority, year=year).count() == 1
        assert Snapshot.objects.filter(authority=authority, scope="all", period="year").exists()
        individuals = next(
            row for row in levels_of(authority=authority) if row["domain"] == "individuals"
        )
        relation = individuals["axes"][1]
        assert relation["declared"] == 3
        assert relation["derived"] is not None
    panel = Campaign.objects.get(slug="barometre-2012")
    assert panel.is_published
    assert panel.respondents.count() == 95
    current = Campaign.objects.get(slug=f"barometre-{year}")
    assert set(Respondent.objects.filter(campaign=current).values_list("key", flat=True)) == {
        "ville-demo",
        "departement-demo",
    }
