"""Indicators on a seeded set of cases whose answers are known by construction."""

import datetime
import zoneinfo

import pytest

from guichet.barometer import indicators, services
from guichet.barometer.derived import reason_text
from guichet.barometer.models import Snapshot
from guichet.engine.models import (
    Attachment,
    Case,
    CaseCorrection,
    CaseTransition,
    Deadline,
    Satisfaction,
)
from tests import factories

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(day: float) -> datetime.datetime:
    """Day `day` after 1 March 2026, 9:00 in Paris (in UTC, so that the summer time change
    does not shorten a day)."""
    start = datetime.datetime(2026, 3, 1, 9, tzinfo=PARIS).astimezone(datetime.UTC)
    return start + datetime.timedelta(days=day)


# channel, submitted day, decision after (days from complete), deadline kept, paper scan,
# corrected, asked documents, satisfaction (rating, understood)
PLAN = [
    ("web", 4, 1, True, False, False, False, ("good", 5)),
    ("web", 4, 2, True, True, False, False, ("good", 4)),
    ("web", 5, 3, True, False, True, False, ("medium", 3)),
    ("web", 5, 4, False, False, False, True, ("bad", 1)),
    ("web", 6, 5, True, False, False, False, None),
    ("web", 6, None, None, False, False, False, None),
    ("counter", 7, 6, True, True, False, False, None),
    ("counter", 7, 7, False, False, False, False, None),
    ("post", 8, None, None, True, False, False, None),
    ("partner", 8, 20, True, False, False, False, None),
]


@pytest.fixture
def seeded(city, procedure):
    version = procedure.versions.get()
    agent = factories.agent(city)
    for channel, submitted, after, kept, scan, corrected, asked, answer in PLAN:
        case = Case.objects.create(
            authority=city,
            version=version,
            procedure=procedure,
            service=procedure.service,
            channel=channel,
            status="submitted",
            number=f"N{Case.objects.count()}",
        )
        created = at(submitted - 1)
        complete = at(submitted)
        transitions = [(at(submitted), "draft", "submitted")]
        if asked:
            # Asked for documents on day +1, complete again on day +6.
            transitions += [
                (at(submitted + 1), "submitted", "waiting_documents"),
                (at(submitted + 6), "waiting_documents", "in_review"),
            ]
            complete = at(submitted + 6)
        closed = None
        if after is not None:
            closed = complete + datetime.timedelta(days=after)
            transitions.append((closed, "in_review", "accepted"))
            Deadline.objects.create(
                authority=city,
                case=case,
                started_in="submitted",
                target_status="",
                due_at=closed + datetime.timedelta(days=1 if kept else -1),
                done_at=closed,
            )
        for moment, source, target in transitions:
            row = CaseTransition.objects.create(
                authority=city, case=case, from_status=source, to_status=target
            )
            CaseTransition.objects.filter(pk=row.pk).update(at=moment)
        Case.objects.filter(pk=case.pk).update(
            created_at=created,
            submitted_at=at(submitted),
            closed_at=closed,
            status="accepted" if closed else "submitted",
        )
        if scan:
            Attachment.objects.create(
                authority=city,
                case=case,
                kind=Attachment.Kind.SCAN,
                file="cases/scan.pdf",
                original_name="scan.pdf",
                content_type="application/pdf",
                size=10,
            )
        if corrected:
            CaseCorrection.objects.create(
                authority=city, case=case, agent=agent, field_name="last_name", reason="typo"
            )
        if answer:
            Satisfaction.objects.create(
                authority=city, case=case, rating=answer[0], understood=answer[1]
            )
    # Two drafts started in March and never filed.
    for day in (10, 11):
        draft = Case.objects.create(
            authority=city,
            version=version,
            procedure=procedure,
            service=procedure.service,
            channel="web",
        )
        Case.objects.filter(pk=draft.pk).update(created_at=at(day))
    return city


def march(city, now=None):
    start, end = indicators.bounds("month", datetime.date(2026, 3, 1))
    facts = indicators.facts_load(authority=city, since=start)
    return indicators.compute(facts=facts, authority=city, start=start, end=end, now=now or at(90))


def test_channel_mix_and_online_take_up(seeded):
    k1 = march(seeded)["K1"]
    assert (k1["count"], k1["base"], k1["share"], k1["band"]) == (6, 10, 0.6, "medium")
    assert {c: v["count"] for c, v in k1["channels"].items()} == {
        "web": 6,
        "counter": 2,
        "phone": 0,
        "post": 1,
        "email": 0,
        "partner": 1,
    }


def test_end_to_end_and_rekeying(seeded):
    values = march(seeded)
    assert (values["K2"]["count"], values["K2"]["base"]) == (4, 5)
    assert (values["K3"]["count"], values["K3"]["base"]) == (5, 6)


def test_processing_time_median_and_p90(seeded):
    k5 = march(seeded)["K5"]
    # Decisions 1, 2, 3, 4, 5, 6, 7 and 20 days after the file was complete (the case asked
    # for documents counts from the day they arrived).
    assert k5 == {"measurable": True, "base": 8, "median_days": 4.5, "p90_days": 20.0}


def test_deadline_compliance_and_incomplete_files(seeded):
    values = march(seeded)
    assert (values["K6"]["count"], values["K6"]["base"], values["K6"]["share"]) == (6, 8, 0.75)
    assert (values["K7"]["count"], values["K7"]["base"]) == (1, 10)
    # 8 drafts started in March on the web (6 filed the next day, 2 never): 2 abandoned.
    assert values["K7"]["abandonment"]["count"] == 2
    assert values["K7"]["abandonment"]["base"] == 8


def test_abandonment_waits_thirty_days(seeded):
    assert march(seeded, now=at(20))["K7"]["abandonment"]["base"] == 0


def test_prefill_share(seeded):
    k8 = march(seeded)["K8"]
    # 8 required fields, 3 pre-filled from the profile, on each of the 6 online cases.
    assert (k8["required"], k8["prefilled"], k8["band"]) == (48, 18, "partial")


def test_satisfaction_and_comprehension(seeded):
    values = march(seeded)
    k10, k11 = values["K10"], values["K11"]
    assert k10["answers"] == 4
    assert k10["score"] == 6.25  # (10 + 10 + 5 + 0) / 4
    assert k10["satisfied"]["count"] == 2
    assert k10["response_rate"] == 0.5  # 4 answers for 8 closed cases
    assert k10["shown"] is False  # fewer than 100 answers
    assert k11["score"] == 5.625  # (10 + 7.5 + 5 + 0) / 4


def test_what_the_platform_cannot_measure_says_why(seeded):
    values = march(seeded)
    for code in ("K4", "K9", "K12", "K14"):
        assert values[code]["measurable"] is False
        assert values[code]["reason"]
    assert values["K13"] == {"measurable": False, "reason": "aucun taux de conformité RGAA déclaré"}


def test_snapshots_and_derived_levels(seeded):
    count = services.snapshots_compute(authority=seeded, now=at(20))
    scopes = set(Snapshot.objects.values_list("scope", flat=True))
    procedure_id = Case.objects.first().procedure_id
    assert scopes == {"all", "domain:individuals", f"procedure:{procedure_id}"}
    assert count == 3 * (12 + 4 + 2)
    month = Snapshot.objects.get(period="month", start=datetime.date(2026, 3, 1), scope="all")
    assert month.values["K1"]["count"] == 6
    year = Snapshot.objects.get(
        period="year", start=datetime.date(2026, 1, 1), scope="domain:individuals"
    )
    derived = year.values["K15"]
    # K2 = 4/5 (80 %): end to end online; K8 = 1/3 pre-filled: R4.
    assert derived["relation"]["level"] == 4
    # K3 = 5/6 (83 %) under 95 %: partly digital.
    assert derived["internal"]["level"] == 2
    assert reason_text(derived["internal"]["reasons"][0]) == (
        "83 % des demandes en ligne arrivent dans l'outil sans ressaisie"
    )
    # Computing again replaces, never duplicates.
    services.snapshots_compute(authority=seeded, now=at(20))
    assert Snapshot.objects.count() == count


def test_sweep_computes_stale_authorities_only(seeded, other_city):
    from guichet.barometer.periodic import barometer_sweep

    result = barometer_sweep.call()
    assert result["authorities"] == 2
    assert barometer_sweep.call() == {"authorities": 0, "snapshots": 0}


def test_franceconnect_share_of_online_cases_from_an_account(seeded):
    from guichet.security.models import OidcIdentity

    first, second = Case.objects.filter(channel="web").exclude(number="").order_by("id")[:2]
    linked = factories.resident(seeded, "fc@example.fr")
    plain = factories.resident(seeded, "plain@example.fr")
    Case.objects.filter(pk=first.pk).update(applicant=linked)
    Case.objects.filter(pk=second.pk).update(applicant=plain)
    OidcIdentity.objects.create(
        authority=seeded, provider="franceconnect", subject="sub-1", user=linked
    )
    k9 = march(seeded)["K9"]
    assert (k9["count"], k9["base"], k9["share"]) == (1, 2, 0.5)
