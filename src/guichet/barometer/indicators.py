"""Indicators K1-K14 computed from the platform's own cases, and the levels derived from
them (K15).

Every figure is an SQL aggregate: the database counts the cases grouped by procedure
(and by month for the snapshots), with one filtered count per indicator, and the sums
per scope and period are made here from those few rows. Counts add up; K5's percentiles
do not, so PostgreSQL ranks the durations of each scope and period itself
(`percentile_disc`); on other databases the durations are read and ranked here.

An indicator the platform cannot measure (no signature module, no probes…) says so, with
the reason, instead of a figure.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_noop as _

from guichet.barometer import statistics as st
from guichet.engine.models import (
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
from guichet.payments.models import Charge
from guichet.tenants.models import Authority

ONLINE = Channel.WEB
ABANDON_DAYS = 30
SATISFACTION_MIN_ANSWERS = 100
RATING_SCORE = {"good": 10.0, "medium": 5.0, "bad": 0.0}
UNDERSTOOD_SCORE = {5: 10.0, 4: 7.5, 3: 5.0, 2: 2.5, 1: 0.0}
INDICATORS = (
    "K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9", "K10", "K11", "K12", "K13", "K14",
)  # fmt: skip
PERIODS = ("month", "quarter", "year")
AGGREGATE_WORK_MEM = "64MB"  # per sort or hash of the indicator queries, this transaction only


@dataclass(frozen=True, slots=True)
class CaseSet:
    """The cases (and the charges) an indicator set is computed over: the authority's, or
    one domain's, or one procedure's. Nothing is loaded: each indicator is an aggregate."""

    authority: Authority
    domain: str = ""
    procedure_id: int | None = None

    def cases(self) -> QuerySet[Case]:
        cases = Case.objects.filter(authority=self.authority)
        if self.procedure_id is not None:
            return cases.filter(procedure_id=self.procedure_id)
        if self.domain:
            return cases.filter(procedure__domain=self.domain)
        return cases

    def charges(self) -> QuerySet[Charge]:
        charges = Charge.objects.filter(authority=self.authority)
        if self.procedure_id is not None:
            return charges.filter(procedure_id=self.procedure_id)
        if self.domain:
            return charges.filter(domain=self.domain)
        return charges


def not_measurable(reason: str) -> dict[str, Any]:
    return {"measurable": False, "reason": reason}


def _ratio(count: int, base: int) -> dict[str, Any]:
    return {"measurable": base > 0, **st.proportion(count, base).as_dict(), "base": base} | (
        {} if base else {"reason": _("aucun dossier dans la période")}
    )


def facts_load(*, authority: Authority, since: datetime.datetime) -> CaseSet:
    """The cases of the authority, to compute indicators over. Kept for its callers: the
    cases are no longer loaded, each period's bounds select them in SQL (`since` is
    therefore not needed)."""
    return CaseSet(authority=authority)


# --- What the workflows say: waiting statuses and required fields of each version --------


@dataclass(frozen=True, slots=True)
class _Versions:
    waiting: dict[frozenset[str], list[int]]  # statuses waiting for the applicant → versions
    required: dict[int, tuple[int, int]]  # version → (required fields, of which pre-filled)

    def transitions(self, field: str) -> Q:
        """Transitions whose `field` (to_status, from_status) is a waiting status of the
        case's version."""
        condition = Q(pk__in=[])
        for codes, versions in self.waiting.items():
            condition |= Q(case__version_id__in=versions, **{f"{field}__in": codes})
        return condition

    @property
    def waiting_codes(self) -> set[str]:
        return set().union(*self.waiting) if self.waiting else set()


def _versions(authority: Authority) -> _Versions:
    waiting: dict[frozenset[str], list[int]] = {}
    required: dict[int, tuple[int, int]] = {}
    for version in ProcedureVersion.objects.filter(procedure__authority=authority):
        parsed = version.parsed
        codes = frozenset(s.code for s in parsed.workflow.statuses if s.waits_for_applicant)
        if codes:
            waiting.setdefault(codes, []).append(version.pk)
        fields = [f for f in parsed.fields if f.required]
        required[version.pk] = (len(fields), sum(1 for f in fields if f.prefill))
    return _Versions(waiting=waiting, required=required)


# --- Tallies: additive counts per (procedure, domain, month) -----------------------------

Key = tuple[int | None, str, datetime.date | None]  # procedure id, domain, month (or None)


def _month(value: datetime.datetime | datetime.date | None) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _grouped(
    rows: QuerySet[Any], *, date_field: str, by_month: bool, extra: tuple[str, ...] = ()
) -> QuerySet[Any]:
    """`rows` grouped by procedure, domain, the `extra` fields and, when `by_month`, the
    local month of `date_field`."""
    fields = ["procedure_id", "domain_code", *extra]
    if by_month:
        rows = rows.annotate(month=TruncMonth(date_field, tzinfo=timezone.get_current_timezone()))
        fields.append("month")
    return rows.values(*fields).order_by()


def _tallies(
    case_set: CaseSet,
    *,
    versions: _Versions,
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime,
    by_month: bool,
) -> dict[Key, Counter]:
    authority = case_set.authority
    tallies: dict[Key, Counter] = {}

    def tally(row: dict[str, Any]) -> Counter:
        key = (row["procedure_id"], row["domain_code"], _month(row.get("month")))
        return tallies.setdefault(key, Counter())

    cases = case_set.cases().annotate(domain_code=F("procedure__domain"))
    of_authority = {"authority": authority}
    scans = Attachment.objects.filter(**of_authority, kind=Attachment.Kind.SCAN).values("case_id")
    corrections = CaseCorrection.objects.filter(**of_authority).values("case_id")
    with_messages = Message.objects.filter(**of_authority).values("case_id")
    asked = (
        CaseTransition.objects.filter(**of_authority)
        .filter(versions.transitions("to_status"))
        .values("case_id")
    )
    filed = cases.filter(submitted_at__gte=start, submitted_at__lt=end)
    for row in _grouped(
        filed, date_field="submitted_at", by_month=by_month, extra=("channel", "version_id")
    ).annotate(
        n=Count("id"),
        rekeyed=Count("id", filter=Q(id__in=corrections)),
        asked=Count("id", filter=Q(id__in=asked)),
        with_messages=Count("id", filter=Q(id__in=with_messages)),
        with_account=Count("id", filter=Q(applicant_id__isnull=False)),
        franceconnect=_franceconnect_count(authority),
    ):
        counter = tally(row)
        counter["filed"] += row["n"]
        counter[f"filed:{row['channel']}"] += row["n"]
        counter["asked"] += row["asked"]
        counter["with_messages"] += row["with_messages"]
        if row["channel"] == ONLINE:
            required, prefilled = versions.required.get(row["version_id"], (0, 0))
            counter["online"] += row["n"]
            counter["online_not_rekeyed"] += row["n"] - row["rekeyed"]
            counter["required"] += row["n"] * required
            counter["prefilled"] += row["n"] * prefilled
            counter["online_with_account"] += row["with_account"]
            counter["online_franceconnect"] += row["franceconnect"]

    done = Deadline.objects.filter(**of_authority, done_at__isnull=False)
    broken = done.filter(is_silence_accord=False, done_at__gt=F("due_at"))
    answers = Satisfaction.objects.filter(**of_authority).exclude(rating="")
    aggregates = {
        "n": Count("id"),
        "no_paper": Count("id", filter=~Q(id__in=scans)),
        "deadline": Count("id", filter=Q(id__in=done.values("case_id"))),
        "deadline_broken": Count("id", filter=Q(id__in=broken.values("case_id"))),
        "answered": Count("id", filter=Q(id__in=answers.values("case_id"))),
    }
    for rating in RATING_SCORE:
        aggregates[f"rating_{rating}"] = Count(
            "id", filter=Q(id__in=answers.filter(rating=rating).values("case_id"))
        )
    for understood in UNDERSTOOD_SCORE:
        aggregates[f"understood_{understood}"] = Count(
            "id", filter=Q(id__in=answers.filter(understood=understood).values("case_id"))
        )
    closed = cases.filter(closed_at__gte=start, closed_at__lt=end)
    for row in _grouped(
        closed, date_field="closed_at", by_month=by_month, extra=("channel",)
    ).annotate(**aggregates):
        counter = tally(row)
        counter["closed"] += row["n"]
        counter["deadline"] += row["deadline"]
        counter["deadline_kept"] += row["deadline"] - row["deadline_broken"]
        for name in aggregates:
            if name.startswith(("answered", "rating_", "understood_")):
                counter[name] += row[name]
        if row["channel"] == ONLINE:
            counter["closed_online"] += row["n"]
            counter["closed_online_no_paper"] += row["no_paper"]

    late = datetime.timedelta(days=ABANDON_DAYS)
    started = cases.filter(
        created_at__gte=start, created_at__lt=end, created_at__lte=now - late, channel=ONLINE
    )
    for row in _grouped(started, date_field="created_at", by_month=by_month).annotate(
        n=Count("id"),
        abandoned=Count(
            "id", filter=Q(submitted_at__isnull=True) | Q(submitted_at__gt=F("created_at") + late)
        ),
    ):
        counter = tally(row)
        counter["started"] += row["n"]
        counter["abandoned"] += row["abandoned"]

    billed = (
        case_set.charges()
        .filter(billed_at__gte=start, billed_at__lt=end)
        .annotate(domain_code=F("domain"))
    )
    online = Q(settlement=Charge.Settlement.ONLINE)
    for row in _grouped(billed, date_field="billed_at", by_month=by_month).annotate(
        n=Count("id"),
        billed_amount=Sum("amount"),
        paid_online=Count("id", filter=online),
        paid_online_amount=Sum("amount", filter=online),
    ):
        counter = tally(row)
        counter["billed"] += row["n"]
        counter["billed_amount"] += row["billed_amount"] or Decimal(0)
        counter["paid_online"] += row["paid_online"]
        counter["paid_online_amount"] += row["paid_online_amount"] or Decimal(0)
    return tallies


def _franceconnect_count(authority: Authority) -> Count:
    """Cases filed from an account linked to FranceConnect (none without the security app)."""
    try:
        identity = apps.get_model("security", "OidcIdentity")
    except LookupError:
        return Count("id", filter=Q(pk__in=[]))
    linked = identity.objects.filter(authority=authority, provider="franceconnect")
    return Count("id", filter=Q(applicant_id__in=linked.values("user_id")))


# --- K5: the processing time's median and P90, per scope and period ------------------------


@dataclass(frozen=True, slots=True)
class _Ranked:
    """The order statistics K5 needs: the two middle durations (equal when their number is
    odd) and the nearest-rank 90th percentile."""

    base: int
    low_middle: datetime.timedelta
    high_middle: datetime.timedelta
    p90: datetime.timedelta


def _durations(
    case_set: CaseSet, *, versions: _Versions, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Any]:
    """Closed cases with the time from the file being complete to the decision: complete
    when filed, or when it last left a status waiting for the applicant (before closing)."""
    resumed_cases = CaseTransition.objects.filter(
        authority=case_set.authority, from_status__in=versions.waiting_codes
    ).values("case_id")
    whens = []
    for codes, version_ids in versions.waiting.items():
        last = (
            CaseTransition.objects.filter(
                case_id=OuterRef("pk"), from_status__in=codes, at__lte=OuterRef("closed_at")
            )
            .order_by()
            .values("case_id")
            .annotate(last=Max("at"))
            .values("last")
        )
        whens.append(
            When(Q(version_id__in=version_ids) & Q(id__in=resumed_cases), then=Subquery(last))
        )
    resumed = SqlCase(*whens, default=None) if whens else None
    complete = Coalesce(resumed, F("submitted_at")) if resumed is not None else F("submitted_at")
    return (
        case_set.cases()
        .filter(closed_at__gte=start, closed_at__lt=end)
        .annotate(domain_code=F("procedure__domain"), complete_at=complete)
        .filter(complete_at__isnull=False)
        .values("procedure_id", "domain_code", "closed_at", "complete_at")
        .order_by()
    )


RankKey = tuple[str, str, datetime.date | None]  # scope, period kind, period start


def _ranked(
    case_set: CaseSet,
    *,
    versions: _Versions,
    start: datetime.datetime,
    end: datetime.datetime,
    by_period: bool,
) -> dict[RankKey, _Ranked | list[float]]:
    """K5's order statistics: for the whole set (key ("", "", None)), or, `by_period`, for
    every scope (all, domain, procedure) and every month, quarter and year."""
    rows = _durations(case_set, versions=versions, start=start, end=end)
    if connection.vendor == "postgresql":
        return _ranked_in_postgresql(rows, by_period=by_period)
    durations: dict[RankKey, list[float]] = {}
    for row in rows:
        days = _days(row["closed_at"] - row["complete_at"])
        for key in _rank_keys(row, by_period=by_period):
            durations.setdefault(key, []).append(days)
    return durations  # type: ignore[return-value]


def _rank_keys(row: dict[str, Any], *, by_period: bool) -> list[RankKey]:
    if not by_period:
        return [("", "", None)]
    day = timezone.localtime(row["closed_at"]).date()
    return [
        (scope, period, period_start(period, day))
        for scope in ("all", f"domain:{row['domain_code']}", f"procedure:{row['procedure_id']}")
        for period in PERIODS
    ]


def _ranked_in_postgresql(rows: QuerySet[Any], *, by_period: bool) -> dict[RankKey, Any]:
    inner, params = rows.query.sql_with_params()
    zone = timezone.get_current_timezone_name()
    # percentile_disc(f) is the value at rank ceil(f·n): 0.5 gives the low middle, 0.9 the
    # nearest-rank P90, and 0.5 + 1e-9 the high middle (rank floor(n/2) + 1) for any group
    # under 500 million durations; one sort serves the three.
    measures = (
        "count(*), percentile_disc(ARRAY[0.5, 0.500000001, 0.9]) "
        "WITHIN GROUP (ORDER BY closed_at - complete_at)"
    )
    if not by_period:
        sql = f"SELECT NULL, NULL, NULL, NULL, NULL, {measures} FROM ({inner}) AS durations"  # noqa: S608
    else:
        # One pass, every scope and period kind: the grouped columns of a row say which.
        sql = f"""
            SELECT procedure_id, domain_code, month, quarter, year, {measures}
            FROM (
                SELECT *,
                    date_trunc('month', closed_at AT TIME ZONE %s)::date AS month,
                    date_trunc('quarter', closed_at AT TIME ZONE %s)::date AS quarter,
                    date_trunc('year', closed_at AT TIME ZONE %s)::date AS year
                FROM ({inner}) AS inner_durations
            ) AS durations
            GROUP BY GROUPING SETS (
                (month), (quarter), (year),
                (domain_code, month), (domain_code, quarter), (domain_code, year),
                (procedure_id, month), (procedure_id, quarter), (procedure_id, year)
            )
        """  # noqa: S608 - the inner query is Django's, its values are parameters
        params = (zone, zone, zone, *params)
    ranked: dict[RankKey, Any] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for procedure_id, domain, month, quarter, year, base, ranks in cursor:
            if not base:
                continue
            low, high, p90 = ranks
            stats = _Ranked(base=base, low_middle=low, high_middle=high, p90=p90)
            if not by_period:
                ranked[("", "", None)] = stats
                continue
            scope = (
                f"procedure:{procedure_id}"
                if procedure_id is not None
                else f"domain:{domain}"
                if domain is not None
                else "all"
            )
            period, begin = next(
                (kind, value)
                for kind, value in zip(PERIODS, (month, quarter, year), strict=True)
                if value is not None
            )
            ranked[(scope, period, begin)] = stats
    return ranked


def _processing_time(ranked: _Ranked | list[float] | None) -> dict[str, Any]:
    if not ranked:
        return not_measurable(_("aucune décision dans la période"))
    if isinstance(ranked, _Ranked):
        # Rounding to days is monotonic: the rounded order statistics are those of the
        # rounded durations, the same figures as ranking the rounded list.
        base = ranked.base
        median = (_days(ranked.low_middle) + _days(ranked.high_middle)) / 2
        p90 = _days(ranked.p90)
    else:
        base, median, p90 = len(ranked), st.median(ranked), st.percentile(ranked, 90)
    return {"measurable": True, "base": base, "median_days": median, "p90_days": p90}


def _days(delta: datetime.timedelta) -> float:
    return round(delta.total_seconds() / 86400, 2)


# --- From tallies to indicators -------------------------------------------------------------


def _values(
    tally: Counter, ranked: _Ranked | list[float] | None, authority: Authority
) -> dict[str, Any]:
    filed = tally["filed"]
    values: dict[str, Any] = {}
    channels = {
        channel: st.proportion(tally[f"filed:{channel}"], filed).as_dict()
        for channel in Channel.values
    }
    k1 = _ratio(tally["online"], filed)
    if filed:
        share = k1["share"]
        k1["band"] = "low" if share < 0.40 else "medium" if share <= 0.75 else "high"
    values["K1"] = k1 | {"channels": channels}
    values["K2"] = _ratio(tally["closed_online_no_paper"], tally["closed_online"])
    values["K3"] = _ratio(tally["online_not_rekeyed"], tally["online"])
    values["K4"] = _payments(tally)
    values["K5"] = _processing_time(ranked)
    values["K6"] = _ratio(tally["deadline_kept"], tally["deadline"])
    if not tally["deadline"]:
        values["K6"]["reason"] = _("aucune décision soumise à un délai annoncé dans la période")
    values["K7"] = _ratio(tally["asked"], filed) | {
        "abandonment": st.proportion(tally["abandoned"], tally["started"]).as_dict()
        | {"base": tally["started"]},
        "with_messages": st.proportion(tally["with_messages"], filed).as_dict(),
    }
    required, prefilled = tally["required"], tally["prefilled"]
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
    values["K9"] = _franceconnect(tally)
    answered = tally["answered"]
    if answered:
        rating = sum(RATING_SCORE[r] * tally[f"rating_{r}"] for r in RATING_SCORE)
        # An answer without "understood" counts as the lowest, as it always has.
        understood = sum(UNDERSTOOD_SCORE[u] * tally[f"understood_{u}"] for u in UNDERSTOOD_SCORE)
        values["K10"] = {
            "measurable": True,
            "answers": answered,
            "shown": answered >= SATISFACTION_MIN_ANSWERS,
            "score": rating / answered,
            "satisfied": st.proportion(tally["rating_good"], answered).as_dict(),
            "response_rate": answered / tally["closed"],
        }
        values["K11"] = {
            "measurable": True,
            "answers": answered,
            "shown": answered >= SATISFACTION_MIN_ANSWERS,
            "score": understood / answered,
        }
    else:
        values["K10"] = not_measurable(_("aucune réponse au questionnaire de satisfaction"))
        values["K11"] = not_measurable(_("aucune réponse au questionnaire de satisfaction"))
    values["K12"] = not_measurable(
        _("le questionnaire de satisfaction ne demande pas si l'aide a été jointe")
    )
    values["K13"] = _accessibility(authority)
    values["K14"] = not_measurable(_("aucune sonde de disponibilité n'enregistre de mesures"))
    values["partners"] = tally[f"filed:{Channel.PARTNER}"]
    values["filed"] = filed
    values["closed"] = tally["closed"]
    return values


@contextmanager
def _aggregating() -> Iterator[None]:
    """One transaction for the few aggregate queries (one snapshot of the data). On
    PostgreSQL without JIT (the subqueries' cost estimates switch it on, and compiling took
    longer than running: 300 ms of 670 ms at 100,000 cases) and with enough memory to sort
    and group a million durations in memory rather than on disk."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(f"SET LOCAL work_mem = '{AGGREGATE_WORK_MEM}'")
        yield


def compute(
    *,
    facts: CaseSet,
    authority: Authority,
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime,
) -> dict[str, Any]:
    """The indicators of a set of cases (the authority's, a domain's or a procedure's) over
    [start, end), on demand."""
    versions = _versions(authority)
    with _aggregating():
        tallies = _tallies(facts, versions=versions, start=start, end=end, now=now, by_month=False)
        ranked = _ranked(facts, versions=versions, start=start, end=end, by_period=False)
    return _values(_sum(tallies.values()), ranked.get(("", "", None)), authority)


def _sum(tallies: Iterable[Counter]) -> Counter:
    total: Counter = Counter()
    for tally in tallies:
        total.update(tally)
    return total


def compute_periods(
    *, authority: Authority, starts: dict[str, list[datetime.date]], now: datetime.datetime
) -> dict[tuple[str, str, datetime.date], dict[str, Any]]:
    """The indicators of every scope (see `scopes`) for each period kind and start: the
    snapshots' figures, from one grouped query per kind of fact."""
    first = min(min(dates) for dates in starts.values() if dates)
    last = max(period_next(period, max(dates)) for period, dates in starts.items() if dates)
    begin, _end = bounds("month", first)
    end, _after = bounds("month", last)
    case_set = CaseSet(authority=authority)
    versions = _versions(authority)
    with _aggregating():
        tallies = _tallies(
            case_set, versions=versions, start=begin, end=end, now=now, by_month=True
        )
        ranked = _ranked(case_set, versions=versions, start=begin, end=end, by_period=True)
    wanted = {period: set(dates) for period, dates in starts.items()}
    sums: dict[tuple[str, str, datetime.date], Counter] = {}
    for (procedure_id, domain, month), tally in tallies.items():
        assert month is not None  # noqa: S101 - grouped by month above
        scope_keys = ["all", f"domain:{domain}"]
        if procedure_id is not None:
            scope_keys.append(f"procedure:{procedure_id}")
        for period in wanted:
            start = period_start(period, month)
            if start not in wanted[period]:
                continue
            for scope in scope_keys:
                sums.setdefault((scope, period, start), Counter()).update(tally)
    return {
        (scope, period, start): _values(
            sums.get((scope, period, start), Counter()),
            ranked.get((scope, period, start)),
            authority,
        )
        for scope, _domain, _procedure_id, _set in scopes(authority, case_set)
        for period, dates in starts.items()
        for start in dates
    }


def _franceconnect(tally: Counter) -> dict[str, Any]:
    """Online cases filed by an account linked to FranceConnect ÷ online cases filed from an
    account: sessions are not recorded, the link of the account is."""
    if not apps.is_installed("guichet.security"):
        return not_measurable(
            _("aucune connexion FranceConnect n'est proposée sur cette plateforme")
        )
    with_account = tally["online_with_account"]
    if not with_account:
        return not_measurable(_("aucun dossier en ligne déposé depuis un compte"))
    return _ratio(tally["online_franceconnect"], with_account) | {
        "note": _("dossiers en ligne déposés depuis un compte relié à FranceConnect")
    }


def _payments(tally: Counter) -> dict[str, Any]:
    """K4: charges billed in the period and paid online (whenever), in number (a proportion
    with its Wilson interval) and in amount (a ratio of sums: no interval, the amounts are
    not draws of one trial each)."""
    billed = tally["billed"]
    if not billed:
        return not_measurable(_("aucune somme facturée dans la période"))
    cents = Decimal("0.01")
    billed_amount = Decimal(tally["billed_amount"]).quantize(cents)
    online_amount = Decimal(tally["paid_online_amount"]).quantize(cents)
    return _ratio(tally["paid_online"], billed) | {
        "amount": {
            "billed": str(billed_amount),
            "paid_online": str(online_amount),
            "share": float(online_amount / billed_amount) if billed_amount else 0.0,
        }
    }


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


def scopes(authority: Authority, facts: CaseSet) -> list[tuple[str, str, int | None, CaseSet]]:
    """(scope key, domain, procedure id, case set) for the whole authority, each domain
    (with a procedure or a charge) and each procedure of the authority."""
    result: list[tuple[str, str, int | None, CaseSet]] = [("all", "", None, facts)]
    procedures = list(Procedure.objects.filter(authority=authority).values_list("id", "domain"))
    billing = set(
        Charge.objects.filter(authority=authority).values_list("domain", flat=True).distinct()
    )
    for domain in sorted({d for _id, d in procedures} | billing):
        result.append((f"domain:{domain}", domain, None, CaseSet(authority, domain=domain)))
    for procedure_id, domain in procedures:
        result.append(
            (
                f"procedure:{procedure_id}",
                domain,
                procedure_id,
                CaseSet(authority, domain=domain, procedure_id=procedure_id),
            )
        )
    return result
