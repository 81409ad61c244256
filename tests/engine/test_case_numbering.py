import threading

import pytest
from django.db import connection
from django.utils import timezone

from guichet.engine import services
from guichet.engine.models import Case
from tests import factories


def test_case_number__is_year_code_and_six_digits_per_authority(
    city, other_city, procedure, resident
):
    other_procedure = factories.civil_status_procedure(other_city)
    other_resident = factories.resident(other_city)
    year = timezone.localdate().year

    first_a = factories.civil_status_case(procedure, resident)
    first_b = factories.civil_status_case(other_procedure, other_resident)
    second_a = factories.civil_status_case(procedure, resident)

    assert first_a.number == f"{year}-ACTE-000001"
    assert first_b.number == f"{year}-ACTE-000001"
    assert second_a.number == f"{year}-ACTE-000002"


def test_case_number__drafts_have_none(procedure, resident):
    draft = factories.civil_status_draft(procedure, resident)

    assert draft.number == ""


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_case_submit__concurrent_submissions_get_distinct_consecutive_numbers():
    city = factories.authority("ville-a")
    procedure = factories.civil_status_procedure(city)
    resident = factories.resident(city)
    drafts = [factories.civil_status_draft(procedure, resident) for _ in range(50)]
    barrier = threading.Barrier(50)
    errors: list[BaseException] = []

    def submit(draft: Case) -> None:
        try:
            barrier.wait()
            services.case_submit(case=draft, by=resident)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    year = timezone.localdate().year
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert numbers == [f"{year}-ACTE-{n:06d}" for n in range(1, 51)]
