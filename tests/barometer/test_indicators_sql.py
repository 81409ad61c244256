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
