"""The legal rule on who may obtain which civil-status copy, as a table of cases."""

import datetime

import pytest

from guichet.individuals.civil_status import certificate_access

TODAY = datetime.date(2026, 12, 2)
RECENT = datetime.date(1990, 4, 12)
OLD = datetime.date(1950, 12, 1)  # 76 years: a public archive

CLOSE = ["self", "spouse", "ascendant", "descendant", "legal_representative"]


@pytest.mark.parametrize(
    ("act_type", "copy_kind", "relationship", "event_date", "is_allowed"),
    [
        *[("birth", "full", who, RECENT, True) for who in CLOSE],
        *[("birth", "extract_filiation", who, RECENT, True) for who in CLOSE],
        *[("marriage", "multilingual", who, RECENT, True) for who in CLOSE],
        ("birth", "full", "other", RECENT, False),
        ("birth", "extract_filiation", "other", RECENT, False),
        ("birth", "multilingual", "other", RECENT, False),
        ("marriage", "full", "other", RECENT, False),
        ("birth", "extract", "other", RECENT, True),
        ("marriage", "extract", "other", RECENT, True),
        ("death", "full", "other", RECENT, True),
        ("death", "extract_filiation", "other", RECENT, True),
        ("birth", "full", "other", OLD, True),
        ("marriage", "full", "other", datetime.date(1951, 12, 3), False),  # 74 years
    ],
)
def test_certificate_access__table(act_type, copy_kind, relationship, event_date, is_allowed):
    decision = certificate_access(
        act_type=act_type,
        copy_kind=copy_kind,
        relationship=relationship,
        event_date=event_date,
        today=TODAY,
    )

    assert decision.is_allowed is is_allowed


def test_certificate_access__explains_the_refusal_and_the_way_out():
    decision = certificate_access(
        act_type="birth", copy_kind="full", relationship="other", event_date=RECENT, today=TODAY
    )

    assert decision.explanation == (
        "Copie intégrale : elle montre la filiation, et n'est délivrée qu'à la personne "
        "concernée, à son époux ou épouse, à ses ascendants, à ses descendants ou à son "
        "représentant légal. Vous pouvez demander un extrait sans filiation."
    )


def test_certificate_access__explains_why_anyone_may_obtain_an_extract():
    decision = certificate_access(
        act_type="birth", copy_kind="extract", relationship="other", event_date=RECENT, today=TODAY
    )

    assert decision.explanation == (
        "Un extrait sans filiation est délivré à toute personne qui le demande."
    )
