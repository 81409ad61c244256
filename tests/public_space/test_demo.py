from django.core.management import call_command

from guichet.interventions.models import WorkOrder
from guichet.public_space.models import Category, Report, ReportPhoto
from guichet.security.api_keys import api_key_authenticate
from guichet.tenants.models import Authority


def test_demo_city_has_categories_open_and_closed_reports_work_orders_and_a_key(db, client):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent
    city = Authority.objects.get(slug="ville-demo")

    assert Category.objects.filter(authority=city).count() == 7
    assert sorted(Report.objects.filter(authority=city).values_list("status", flat=True)) == [
        "fixed",
        "rejected",
        "scheduled",
        "submitted",
        "submitted",
    ]
    # the work orders answering street reports (the facilities demo has its own)
    street_orders = WorkOrder.objects.filter(
        authority=city, sources__content_type__app_label="public_space"
    ).distinct()
    assert sorted(street_orders.values_list("status", flat=True)) == ["done", "started"]
    assert ReportPhoto.objects.filter(report__authority=city, is_public=True).count() == 1
    assert api_key_authenticate(authority=city, raw="demo-open311-key", scope="open311") is not None

    client.defaults["HTTP_HOST"] = "ville-demo.localhost"
    open311 = client.get("/open311/v2/requests.json").json()
    assert sorted(r["status"] for r in open311) == ["closed", "closed", "open", "open", "open"]
    assert client.get("/signalements/").status_code == 200
