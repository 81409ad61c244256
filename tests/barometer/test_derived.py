"""Derived levels (K15) from indicator values, rule by rule."""

import pytest

from guichet.barometer.derived import compare, derive, reason_text


def ratio(count, base):
    return {
        "measurable": base > 0,
        "count": count,
        "base": base,
        "share": count / base if base else 0,
    }


def values(k2=(9, 10), k3=(10, 10), k8=0.0, filed=10, partners=0):
    return {
        "K2": ratio(*k2),
        "K3": ratio(*k3),
        "K8": {"measurable": True, "share": k8},
        "filed": filed,
        "partners": partners,
    }


@pytest.mark.parametrize(
    ("given", "procedures", "online", "relation", "internal"),
    [
        ({}, 0, 0, 0, 0),
        (values(), 2, 0, 1, 3),
        (values(k2=(7, 10)), 2, 1, 2, 2),  # 70 % end to end: R2; paper steps: I2
        (values(), 2, 1, 3, 3),
        (values(k8=0.4), 2, 1, 4, 3),
        ({**values(), "K9": ratio(1, 4)}, 2, 1, 4, 3),  # FranceConnect in use
        (values(partners=1), 2, 1, 3, 4),
        (values(k3=(4, 10)), 2, 1, 3, 1),  # 60 % re-keyed: I1
        (values(k2=(4, 4), k3=(4, 4)), 2, 1, 2, 2),  # too few cases for R3 and I3
        (values(filed=0, k2=(0, 0), k3=(0, 0)), 2, 1, 2, None),
    ],
)
def test_rules(given, procedures, online, relation, internal):
    levels = derive(values=given, procedures=procedures, online_procedures=online)
    assert levels["relation"]["level"] == relation
    assert levels["internal"]["level"] == internal


def test_reasons_read_in_the_current_language():
    levels = derive(values=values(k2=(4, 4), k3=(4, 4)), procedures=1, online_procedures=1)
    assert [reason_text(r) for r in levels["relation"]["reasons"]] == [
        "au moins une démarche peut être déposée en ligne",
        "trop peu de dossiers en ligne clos (4, moins de 5) pour établir le bout en bout",
    ]


def test_compare():
    assert compare(derived=2, declared=3) == {"difference": 1, "status": "declared_higher"}
    assert compare(derived=3, declared=3) == {"difference": 0, "status": "equal"}
    assert compare(derived=None, declared=3) == {"difference": None, "status": "unknown"}
