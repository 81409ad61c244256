"""Indicators K1-K14 computed from the platform's own cases, and the levels derived from
them (K15). Everything a period needs is read in a few queries, then computed in memory,
so that the sweep can compute every scope and period of an authority in one pass.

An indicator the platform cannot measure (no payment, signature or FranceConnect module,
no probes) says so, with the reason, instead of a figure.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from guichet.barometer import statistics as st
from guichet.engine.models import (
    DRAFT,
    Attachment,
    Case,
    CaseCorrection,
    CaseTransition,
    Channel,
    Deadline,
    Message,
    Procedure,
    ProcedureVersion,
    Satisfaction,
)
from guichet.tenants.models import Authority

ONLINE = Channel.WEB
ABANDON_DAYS = 30
SATISFACTION_MIN_ANSWERS = 100
RATING_SCORE = {"good": 10.0, "medium": 5.0, "bad": 0.0}
UNDERSTOOD_SCORE = {5: 10.0, 4: 7.5, 3: 5.0, 2: 2.5, 1: 0.0}
INDICATORS = (
    "K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9", "K10", "K11", "K12", "K13", "K14",
)  # fmt: skip


@dataclass(slots=True)
class Facts:
    """What the indicators need of one case."""

    id: int
    procedure_id: int
    domain: str
    channel: str
    created_at: datetime.datetime
    submitted_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    is_draft: bool
    paper_step: bool = False  # a scanned paper document on the case
    rekeyed: bool = False  # an agent corrected (re-entered) an answer
    asked_documents: bool = False  # entered a status waiting for the applicant
    complete_at: datetime.datetime | None = None
    deadline_kept: bool | None = None  # None: no deadline announced
    rating: str = ""
    understood: int | None = None
    required: int = 0
    prefilled: int = 0
    messages: int = 0
    partner: bool = False
    applicant_id: int | None = None
    franceconnect: bool = False  # the applicant's account is linked to FranceConnect
    transitions: list[tuple[datetime.datetime, str, str]] = field(default_factory=list)


def not_measurable(reason: str) -> dict[str, Any]:
    return {"measurable": False, "reason": reason}


def _ratio(count: int, base: int) -> dict[str, Any]:
    return {"measurable": base > 0, **st.proportion(count, base).as_dict(), "base": base} | (
        {} if base else {"reason": _("aucun dossier dans la période")}
    )


def facts_load(*, authority: Authority, since: datetime.datetime) -> list[Facts]:
    """Every case of the authority created, filed or closed since `since`."""
    rows = (
        Case.objects.filter(authority=authority, created_at__gte=since)
        | Case.objects.filter(authority=authority, submitted_at__gte=since)
        | Case.objects.filter(authority=authority, closed_at__gte=since)
    ).values(
        "id",
        "procedure_id",
        "procedure__domain",
        "channel",
        "created_at",
        "submitted_at",
        "closed_at",
        "status",
        "version_id",
        "applicant_id",
    )
    facts = {
        row["id"]: Facts(
            id=row["id"],
            procedure_id=row["procedure_id"],
            domain=row["procedure__domain"],
            channel=row["channel"],
            created_at=row["created_at"],
            submitted_at=row["submitted_at"],
            closed_at=row["closed_at"],
            is_draft=row["status"] == DRAFT,
            partner=row["channel"] == Channel.PARTNER,
            applicant_id=row["applicant_id"],
        )
        for row in rows
    }
    versions = {row["id"]: row["version_id"] for row in rows}
    ids = list(facts)
    waiting, required = _versions(set(versions.values()))
    for case_id in Attachment.objects.filter(
        case_id__in=ids, kind=Attachment.Kind.SCAN
    ).values_list("case_id", flat=True):
        facts[case_id].paper_step = True
    linked = _franceconnect_users(authority, {f.applicant_id for f in facts.values()})
    for case in facts.values():
        case.franceconnect = case.applicant_id in linked
    for case_id in CaseCorrection.objects.filter(case_id__in=ids).values_list("case_id", flat=True):
        facts[case_id].rekeyed = True
    for case_id in Message.objects.filter(case_id__in=ids).values_list("case_id", flat=True):
        facts[case_id].messages += 1
    for case_id, at, source, target in (
        CaseTransition.objects.filter(case_id__in=ids)
        .order_by("at", "id")
        .values_list("case_id", "at", "from_status", "to_status")
    ):
        facts[case_id].transitions.append((at, source, target))
    _deadlines(facts, ids)
    for case_id, rating, understood in Satisfaction.objects.filter(case_id__in=ids).values_list(
        "case_id", "rating", "understood"
    ):
        facts[case_id].rating = rating
        facts[case_id].understood = understood
    for case in facts.values():
        waits = waiting.get(versions[case.id], set())
        case.complete_at = case.submitted_at
        for at, source, target in case.transitions:
            if target in waits:
                case.asked_documents = True
            if source in waits and (case.closed_at is None or at <= case.closed_at):
                case.complete_at = at  # the file became complete again
        case.required, case.prefilled = required.get(versions[case.id], (0, 0))
        case.transitions = []  # only needed above: keep memory low on large authorities
    return list(facts.values())


def _deadlines(facts: dict[int, Facts], ids: list[int]) -> None:
    """Whether each decided case kept its announced deadlines (silence vaut accord keeps it)."""
    for deadline in Deadline.objects.filter(case_id__in=ids).values(
        "case_id", "due_at", "done_at", "is_silence_accord"
    ):
        case = facts[deadline["case_id"]]
        kept = deadline["is_silence_accord"] or (
            deadline["done_at"] is not None and deadline["done_at"] <= deadline["due_at"]
        )
        if deadline["done_at"] is not None:
            case.deadline_kept = kept if case.deadline_kept is None else case.deadline_kept and kept


def _franceconnect_users(authority: Authority, user_ids: set[int | None]) -> set[int]:
    """Applicants whose account is linked to FranceConnect (none without the security app)."""
    try:
        identity = apps.get_model("security", "OidcIdentity")
    except LookupError:
        return set()
    return set(
        identity.objects.filter(
            authority=authority, provider="franceconnect", user_id__in=user_ids - {None}
        ).values_list("user_id", flat=True)
    )


def _versions(ids: set[int]) -> tuple[dict[int, set[str]], dict[int, tuple[int, int]]]:
    waiting: dict[int, set[str]] = {}
    required: dict[int, tuple[int, int]] = {}
    for version in ProcedureVersion.objects.filter(pk__in=ids):
        parsed = version.parsed
        waiting[version.pk] = {s.code for s in parsed.workflow.statuses if s.waits_for_applicant}
        fields = [f for f in parsed.fields if f.required]
        required[version.pk] = (len(fields), sum(1 for f in fields if f.prefill))
    return waiting, required


def _within(
    moment: datetime.datetime | None, start: datetime.datetime, end: datetime.datetime
) -> bool:
    return moment is not None and start <= moment < end


def _days(delta: datetime.timedelta) -> float:
    return round(delta.total_seconds() / 86400, 2)


def compute(
    *,
    facts: list[Facts],
    authority: Authority,
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime,
) -> dict[str, Any]:
    """The indicators of the given cases (already restricted to a scope) over [start, end)."""
    filed = [f for f in facts if _within(f.submitted_at, start, end)]
    online = [f for f in filed if f.channel == ONLINE]
    closed = [f for f in facts if _within(f.closed_at, start, end)]
    closed_online = [f for f in closed if f.channel == ONLINE]
    values: dict[str, Any] = {}

    channels = {
        channel: st.proportion(sum(1 for f in filed if f.channel == channel), len(filed)).as_dict()
        for channel in Channel.values
    }
    k1 = _ratio(len(online), len(filed))
    if filed:
        share = k1["share"]
        k1["band"] = "low" if share < 0.40 else "medium" if share <= 0.75 else "high"
    values["K1"] = k1 | {"channels": channels}
    values["K2"] = _ratio(sum(1 for f in closed_online if not f.paper_step), len(closed_online))
    values["K3"] = _ratio(sum(1 for f in online if not f.rekeyed), len(online))
    values["K4"] = _payments()
    durations = [
        _days(f.closed_at - f.complete_at)
        for f in closed
        if f.complete_at is not None and f.closed_at is not None
    ]
    values["K5"] = (
        {
            "measurable": True,
            "base": len(durations),
            "median_days": st.median(durations),
            "p90_days": st.percentile(durations, 90),
        }
        if durations
        else not_measurable(_("aucune décision dans la période"))
    )
    with_deadline = [f for f in closed if f.deadline_kept is not None]
    values["K6"] = _ratio(sum(1 for f in with_deadline if f.deadline_kept), len(with_deadline))
    if not with_deadline:
        values["K6"]["reason"] = _("aucune décision soumise à un délai annoncé dans la période")
    started = [
        f
        for f in facts
        if _within(f.created_at, start, end)
        and f.created_at <= now - datetime.timedelta(days=ABANDON_DAYS)
        and f.channel == ONLINE
    ]
    abandoned = [
        f
        for f in started
        if f.submitted_at is None
        or f.submitted_at - f.created_at > datetime.timedelta(days=ABANDON_DAYS)
    ]
    values["K7"] = _ratio(sum(1 for f in filed if f.asked_documents), len(filed)) | {
        "abandonment": st.proportion(len(abandoned), len(started)).as_dict()
        | {"base": len(started)},
        "with_messages": st.proportion(sum(1 for f in filed if f.messages), len(filed)).as_dict(),
    }
    required = sum(f.required for f in online)
    prefilled = sum(f.prefilled for f in online)
    if required:
        share = prefilled / required
        values["K8"] = {
            "measurable": True,
            "required": required,
            "prefilled": prefilled,
            "share": share,
            "band": "low" if share < 0.30 else "partial" if share < 0.60 else "optimal",
            "note": _(
                "Champs pré-remplis depuis le profil ; la récupération auprès d'autres "
                "administrations n'est pas encore mesurée."
            ),
        }
    else:
        values["K8"] = not_measurable(_("aucun dossier en ligne avec des champs obligatoires"))
    values["K9"] = _franceconnect(online)
    answered = [f for f in closed if f.rating]
    if answered:
        satisfied = sum(1 for f in answered if f.rating == "good")
        values["K10"] = {
            "measurable": True,
            "answers": len(answered),
            "shown": len(answered) >= SATISFACTION_MIN_ANSWERS,
            "score": sum(RATING_SCORE[f.rating] for f in answered) / len(answered),
            "satisfied": st.proportion(satisfied, len(answered)).as_dict(),
            "response_rate": len(answered) / len(closed),
        }
        values["K11"] = {
            "measurable": True,
            "answers": len(answered),
            "shown": len(answered) >= SATISFACTION_MIN_ANSWERS,
            "score": sum(UNDERSTOOD_SCORE[f.understood or 1] for f in answered) / len(answered),
        }
    else:
        values["K10"] = not_measurable(_("aucune réponse au questionnaire de satisfaction"))
        values["K11"] = not_measurable(_("aucune réponse au questionnaire de satisfaction"))
    values["K12"] = not_measurable(
        _("le questionnaire de satisfaction ne demande pas si l'aide a été jointe")
    )
    values["K13"] = _accessibility(authority)
    values["K14"] = not_measurable(_("aucune sonde de disponibilité n'enregistre de mesures"))
    values["partners"] = sum(1 for f in filed if f.partner)
    values["filed"] = len(filed)
    values["closed"] = len(closed)
    return values


def _franceconnect(online: list[Facts]) -> dict[str, Any]:
    """Online cases filed by an account linked to FranceConnect ÷ online cases filed from an
    account: sessions are not recorded, the link of the account is."""
    if not apps.is_installed("guichet.security"):
        return not_measurable(
            _("aucune connexion FranceConnect n'est proposée sur cette plateforme")
        )
    with_account = [f for f in online if f.applicant_id is not None]
    if not with_account:
        return not_measurable(_("aucun dossier en ligne déposé depuis un compte"))
    return _ratio(sum(1 for f in with_account if f.franceconnect), len(with_account)) | {
        "note": _("dossiers en ligne déposés depuis un compte relié à FranceConnect")
    }


def _payments() -> dict[str, Any]:
    try:
        apps.get_model("payments", "Payment")
    except LookupError:
        return not_measurable(_("aucun module de paiement en ligne n'est installé"))
    return not_measurable(_("les paiements ne sont pas encore reliés aux dossiers du baromètre"))


def _accessibility(authority: Authority) -> dict[str, Any]:
    rate = authority.accessibility_rate
    if rate is None:
        return not_measurable(_("aucun taux de conformité RGAA déclaré"))
    band = "full" if rate >= 100 else "partial" if rate >= 50 else "none"
    return {"measurable": True, "rate": rate / 100, "band": band}


# --- Periods ---------------------------------------------------------------------------------


def period_start(period: str, day: datetime.date) -> datetime.date:
    if period == "year":
        return day.replace(month=1, day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(day=1)


def period_next(period: str, start: datetime.date) -> datetime.date:
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1, day=1)


def period_previous(period: str, start: datetime.date) -> datetime.date:
    return period_start(period, start - datetime.timedelta(days=1))


def periods_recent(period: str, today: datetime.date, count: int) -> list[datetime.date]:
    starts = [period_start(period, today)]
    while len(starts) < count:
        starts.append(period_previous(period, starts[-1]))
    return list(reversed(starts))


def bounds(period: str, start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    end = period_next(period, start)
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end, datetime.time.min, tzinfo=zone),
    )


def scopes(
    authority: Authority, facts: list[Facts]
) -> list[tuple[str, str, int | None, list[Facts]]]:
    """(scope key, domain, procedure id, facts) for the whole authority, each domain and
    each procedure of the authority."""
    result: list[tuple[str, str, int | None, list[Facts]]] = [("all", "", None, facts)]
    procedures = list(Procedure.objects.filter(authority=authority).values_list("id", "domain"))
    for domain in sorted({d for _id, d in procedures}):
        result.append((f"domain:{domain}", domain, None, [f for f in facts if f.domain == domain]))
    for procedure_id, domain in procedures:
        result.append(
            (
                f"procedure:{procedure_id}",
                domain,
                procedure_id,
                [f for f in facts if f.procedure_id == procedure_id],
            )
        )
    return result
