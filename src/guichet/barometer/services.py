"""Writes: campaigns, frames, imports, invitations, declarations, snapshots."""

import datetime
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.barometer import derived, imports, indicators
from guichet.barometer.maturity import KIND_TO_STRATUM, STRATA
from guichet.barometer.models import (
    Campaign,
    Declaration,
    FrameStratum,
    Invitation,
    Respondent,
    Snapshot,
)
from guichet.barometer.questionnaire import TEMPLATES
from guichet.core.errors import DomainError, ErrorCode
from guichet.engine.models import Procedure
from guichet.tenants.models import Authority


class ImportRejected(DomainError):
    """The file was not imported; `errors` names every bad cell."""

    def __init__(self, errors: list[imports.CellError]) -> None:
        super().__init__(
            ErrorCode.INVALID_FILE,
            _("Fichier refusé, rien n'a été importé : %(count)s erreur(s).")
            % {"count": len(errors)},
        )
        self.errors = errors


def campaign_create(
    *, authority: Authority, slug: str, year: int, template: str, name: str = ""
) -> Campaign:
    if template not in TEMPLATES:
        raise DomainError(
            ErrorCode.INVALID_DATA,
            _("Questionnaire inconnu : %(template)s (connus : %(known)s).")
            % {"template": template, "known": ", ".join(TEMPLATES)},
        )
    if Campaign.objects.filter(slug=slug).exists():
        raise DomainError(
            ErrorCode.ALREADY_DONE, _("La campagne « %(slug)s » existe déjà.") % {"slug": slug}
        )
    try:
        with transaction.atomic():
            return Campaign.objects.create(
                authority=authority,
                slug=slug,
                year=year,
                template=template,
                name=name or _("Baromètre %(year)s") % {"year": year},
            )
    except IntegrityError as error:  # two submissions at once: one campaign
        raise DomainError(
            ErrorCode.ALREADY_DONE, _("La campagne « %(slug)s » existe déjà.") % {"slug": slug}
        ) from error


def frame_set(*, campaign: Campaign, frame: dict[str, tuple[int, int]]) -> None:
    """Sets N_h (and the number invited) per stratum: {stratum: (population, invited)}."""
    for stratum, (population, invited) in frame.items():
        if stratum not in STRATA:
            raise DomainError(ErrorCode.INVALID_DATA, _("Strate inconnue : %s") % stratum)
        FrameStratum.objects.update_or_create(
            campaign=campaign,
            stratum=stratum,
            defaults={"population": population, "invited": invited},
        )


@transaction.atomic
def respondents_import(
    *,
    campaign: Campaign,
    content: bytes,
    name: str,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Imports every row or none: any invalid cell raises `ImportRejected` naming each.
    Re-importing a respondent updates its answers."""
    parsed = imports.parse(
        template=campaign.questionnaire, rows=imports.rows_read(content=content, name=name)
    )
    if parsed.errors:
        raise ImportRejected(parsed.errors)
    existing = set(campaign.respondents.values_list("key", flat=True))
    total = len(parsed.sheets)
    counts = {"created": 0, "updated": 0}
    for done, (key, answers) in enumerate(parsed.sheets, start=1):
        Respondent.objects.update_or_create(
            campaign=campaign,
            key=key,
            defaults={
                "answers": answers,
                "stratum": answers["authority_type"],
                "source": Respondent.Source.IMPORT,
            },
        )
        counts["updated" if key in existing else "created"] += 1
        if progress is not None:
            progress(done, total)
    return counts


def authority_invite(*, campaign: Campaign, authority: Authority) -> Invitation:
    invitation, _created = Invitation.objects.get_or_create(campaign=campaign, authority=authority)
    return invitation


def stratum_of(authority: Authority) -> str:
    return KIND_TO_STRATUM.get(authority.kind, "ville")


@transaction.atomic
def declaration_save(
    *, authority: Authority, by: User, year: int, cells: dict[str, Any]
) -> Declaration:
    """The authority's self-assessment. Invalid answers raise `ImportRejected` (nothing is
    kept); the answers also go to every campaign of that year the authority is invited to."""
    template = TEMPLATES["2012"]
    cells = dict(cells, authority_type=stratum_of(authority))
    answers, errors = imports.answers_clean(template=template, cells=cells)
    if errors:
        raise ImportRejected(errors)
    declaration, _created = Declaration.objects.update_or_create(
        authority=authority, year=year, defaults={"answers": answers, "declared_by": by}
    )
    for invitation in Invitation.objects.filter(authority=authority, campaign__year=year):
        Respondent.objects.update_or_create(
            campaign=invitation.campaign,
            key=authority.slug,
            defaults={
                "answers": answers,
                "stratum": answers["authority_type"],
                "authority": authority,
                "source": Respondent.Source.APP,
            },
        )
    return declaration


def snapshots_compute(*, authority: Authority, now: datetime.datetime) -> int:
    """Recomputes every stored snapshot of the authority: the last 12 months, 4 quarters and
    2 years, for the whole authority, each domain and each procedure; the yearly domain
    snapshots carry the derived levels (K15). Returns the number of snapshots."""
    today = timezone.localdate(now)
    recent = {
        "month": indicators.periods_recent("month", today, 12),
        "quarter": indicators.periods_recent("quarter", today, 4),
        "year": indicators.periods_recent("year", today, 2),
    }
    computed = indicators.compute_periods(authority=authority, starts=recent, now=now)
    procedures = list(Procedure.objects.filter(authority=authority).values("domain", "is_online"))
    rows = []
    for scope, domain, procedure_id, _cases in indicators.scopes(
        authority, indicators.CaseSet(authority=authority)
    ):
        for period, starts in recent.items():
            for start in starts:
                values = computed[(scope, period, start)]
                if period == "year" and scope.startswith("domain:"):
                    mine = [p for p in procedures if p["domain"] == domain]
                    values["K15"] = derived.derive(
                        values=values,
                        procedures=len(mine),
                        online_procedures=sum(1 for p in mine if p["is_online"]),
                    )
                rows.append(
                    Snapshot(
                        authority=authority,
                        period=period,
                        start=start,
                        scope=scope,
                        domain=domain,
                        procedure_id=procedure_id,
                        values=values,
                        computed_at=now,
                    )
                )
    with transaction.atomic():
        Snapshot.objects.filter(authority=authority).delete()
        _snapshots_insert(rows)
    return len(rows)


SNAPSHOT_COLUMNS = (
    "authority_id", "period", "start", "scope", "domain", "procedure_id", "values", "computed_at",
)  # fmt: skip


def _snapshots_insert(rows: list[Snapshot]) -> None:
    """On PostgreSQL through COPY: a bulk INSERT quotes every JSON document into an array
    literal on the client, which took 2 s of the sweep for a few hundred snapshots
    (0.4 s by COPY)."""
    if connection.vendor != "postgresql":
        Snapshot.objects.bulk_create(rows)
        return
    from psycopg.types.json import Jsonb

    columns = ", ".join(connection.ops.quote_name(column) for column in SNAPSHOT_COLUMNS)
    table = connection.ops.quote_name(Snapshot._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(
                [
                    Jsonb(row.values) if column == "values" else getattr(row, column)
                    for column in SNAPSHOT_COLUMNS
                ]
            )


def campaign_publish(*, campaign: Campaign, published: bool) -> Campaign:
    campaign.is_published = published
    campaign.save(update_fields=["is_published"])
    return campaign
