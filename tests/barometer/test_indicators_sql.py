"""The snapshots (every scope and period from one set of grouped queries, K5 ranked per
grouping set on PostgreSQL) give the same figures as each set computed on demand."""

import datetime

import pytest

from guichet.barometer import indicators, services
from guichet.barometer.models import Snapshot
from guichet.engine.models import Case
from tests.barometer.test_indicators import at, seeded  # noqa: F401


@pytest.mark.parametrize(
    ("period", "start"),
    [
        ("month", datetime.date(2026, 3, 1)),
        ("month", datetime.date(2026, 4, 1)),
        ("quarter", datetime.date(2026, 1, 1)),
        ("year", datetime.date(2026, 1, 1)),
    ],
)
def test_snapshots__equal_the_figures_on_demand(seeded, period, start):  # noqa: F811
    now = at(90)
    services.snapshots_compute(authority=seeded, now=now)
    procedure_id = Case.objects.values_list("procedure_id", flat=True).first()
    begin, end = indicators.bounds(period, start)
    for scope, case_set in (
        ("all", indicators.CaseSet(seeded)),
        ("domain:individuals", indicators.CaseSet(seeded, domain="individuals")),
        (f"procedure:{procedure_id}", indicators.CaseSet(seeded, procedure_id=procedure_id)),
    ):
        stored = Snapshot.objects.get(authority=seeded, period=period, start=start, scope=scope)
        stored.values.pop("K15", None)

        on_demand = indicators.compute(
            facts=case_set, authority=seeded, start=begin, end=end, now=now
        )

        assert stored.values == on_demand, scope
    march = Snapshot.objects.get(period="month", start=datetime.date(2026, 3, 1), scope="all")
    assert march.values["K5"] == {
        "measurable": True,
        "base": 8,
        "median_days": 4.5,
        "p90_days": 20.0,
    }


@pytest.mark.parametrize(
    ("days", "median", "p90"),
    [
        ([3], 3.0, 3.0),
        ([1, 2, 10], 2.0, 10.0),
        ([1, 2, 4, 10], 3.0, 10.0),
        ([0.5, 1.25, 1.5, 2, 3, 5, 8, 13, 21, 34, 55], 5.0, 34.0),
    ],
)
def test_processing_time__median_and_p90_for_odd_and_even_counts(
    city, procedure, days, median, p90
):
    version = procedure.versions.get()
    for number, after in enumerate(days):
        case = Case.objects.create(
            authority=city,
            version=version,
            procedure=procedure,
            service=procedure.service,
            channel="web",
            number=f"D{number}",
        )
        Case.objects.filter(pk=case.pk).update(
            submitted_at=at(1),
            closed_at=at(1) + datetime.timedelta(days=after),
            status="accepted",
        )
    begin, end = indicators.bounds("year", datetime.date(2026, 1, 1))

    k5 = indicators.compute(
        facts=indicators.CaseSet(city), authority=city, start=begin, end=end, now=at(200)
    )["K5"]

    assert k5 == {"measurable": True, "base": len(days), "median_days": median, "p90_days": p90}
