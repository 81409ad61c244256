"""Reads: snapshots for the dashboards, declarations, campaigns within an authority."""

import datetime
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.barometer import derived, indicators
from guichet.barometer.maturity import AXES, DOMAIN_LABELS, DOMAINS, level
from guichet.barometer.models import (
    Campaign,
    Declaration,
    Invitation,
    NetworkOperator,
    Respondent,
    Snapshot,
)
from guichet.engine.models import Procedure
from guichet.payments.models import Charge
from guichet.tenants.models import Authority

TREND_LENGTH = {"month": 12, "quarter": 4, "year": 2}


def indicator_labels() -> dict[str, str]:
    """Translated at call time (the module's dict is built in the default language)."""
    return {
        "K1": _("Dépôt en ligne (part des dossiers déposés en ligne)"),
        "K2": _("Bout en bout numérique (dossiers en ligne clos sans étape papier)"),
        "K3": _("Sans ressaisie (dossiers en ligne sans correction d'un agent)"),
        "K4": _("Paiement en ligne"),
        "K5": _("Délai de traitement (médiane et 90e centile, jours)"),
        "K6": _("Respect du délai annoncé"),
        "K7": _("Dossiers incomplets ; abandons"),
        "K8": _("« Dites-le-nous une fois » (champs pré-remplis)"),
        "K9": _("Part FranceConnect"),
        "K10": _("Satisfaction /10"),
        "K11": _("Compréhension /10"),
        "K12": _("Aide joignable ; autonomie"),
        "K13": _("Accessibilité (conformité RGAA déclarée)"),
        "K14": _("Disponibilité, rapidité"),
    }


def indicator_display(code: str, block: dict[str, Any]) -> str:
    """One indicator as text: the figure, or why it cannot be measured."""
    if not block.get("measurable"):
        reason = block.get("reason")
        return _("non mesurable : %(reason)s") % {"reason": _(reason) if reason else ""}
    if code == "K5":
        return _("médiane %(median)s j ; P90 %(p90)s j (n = %(n)s)") % {
            "median": block["median_days"],
            "p90": block["p90_days"],
            "n": block["base"],
        }
    if code in ("K10", "K11"):
        if not block["shown"]:
            return _("%(n)s réponses : affiché à partir de 100") % {"n": block["answers"]}
        return f"{block['score']:.1f} / 10 (n = {block['answers']})"
    if code == "K8":
        return f"{round(block['share'] * 100)} % ({block['prefilled']}/{block['required']})"
    if code == "K13":
        return f"{round(block['rate'] * 100)} %"
    text = f"{round(block['share'] * 100)} % ({block['count']}/{block['base']})"
    if code == "K4":
        text += " ; " + _("en montant : %(share)s %% (%(paid)s € sur %(billed)s €)") % {
            "share": round(block["amount"]["share"] * 100),
            "paid": block["amount"]["paid_online"],
            "billed": block["amount"]["billed"],
        }
    if code == "K7":
        abandonment = block["abandonment"]
        text += " ; " + _("abandons : %(count)s/%(base)s") % {
            "count": abandonment["count"],
            "base": abandonment["base"],
        }
    return text


def snapshots_for(*, authority: Authority, period: str, scope: str = "all") -> list[Snapshot]:
    starts = indicators.periods_recent(period, timezone.localdate(), TREND_LENGTH[period])
    return list(
        Snapshot.objects.filter(
            authority=authority, period=period, scope=scope, start__in=starts
        ).order_by("start")
    )


def declaration_current(*, authority: Authority, year: int) -> Declaration | None:
    return Declaration.objects.filter(authority=authority, year__lte=year).order_by("-year").first()


def levels_of(*, authority: Authority, year: int | None = None) -> list[dict[str, Any]]:
    """Per domain: derived and declared levels on both axes, their comparison and the reasons,
    with the level definitions."""
    year = year or timezone.localdate().year
    snapshots = {
        s.domain: s.values.get("K15")
        for s in Snapshot.objects.filter(
            authority=authority,
            period="year",
            start=datetime.date(year, 1, 1),
            scope__startswith="domain:",
        )
    }
    declaration = declaration_current(authority=authority, year=year)
    declared_answers = declaration.answers if declaration else {}
    procedures = set(Procedure.objects.filter(authority=authority).values_list("domain", flat=True))
    result = []
    for domain in DOMAINS:
        found = snapshots.get(domain) or (
            derived.derive(values={}, procedures=0, online_procedures=0)
            if domain not in procedures
            else None
        )
        axes = []
        for axis in AXES:
            derived_axis = (found or {}).get(
                axis, {"level": None, "reasons": [_("pas encore calculé")]}
            )
            declared = declared_answers.get(f"q6_{domain}_{axis}")
            axes.append(
                {
                    "axis": axis,
                    "derived": derived_axis["level"],
                    "derived_level": level(axis, derived_axis["level"])
                    if derived_axis["level"] is not None
                    else None,
                    "reasons": [derived.reason_text(r) for r in derived_axis["reasons"]],
                    "declared": declared,
                    "declared_level": level(axis, declared) if declared is not None else None,
                    "comparison": derived.compare(derived=derived_axis["level"], declared=declared),
                }
            )
        result.append({"domain": domain, "label": DOMAIN_LABELS[domain], "axes": axes})
    return result


def is_network_operator(user: Any, authority: Authority) -> bool:
    return (
        user.is_authenticated
        and user.authority_id == authority.pk
        and NetworkOperator.objects.filter(user=user, authority=authority).exists()
    )


def campaigns_of(*, authority: Authority) -> list[Campaign]:
    return list(Campaign.objects.filter(authority=authority))


def campaign_get(*, authority: Authority, campaign_id: int) -> Campaign:
    """A campaign of this authority, or 404 (another authority's does not exist here)."""
    campaign = Campaign.objects.filter(authority=authority, pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def campaign_published(*, authority: Authority, slug: str) -> Campaign:
    campaign = Campaign.objects.filter(authority=authority, slug=slug, is_published=True).first()
    if campaign is None:
        raise Http404
    return campaign


def indicator_rows(*, authority: Authority, period: str) -> list[list[Any]]:
    """Every stored indicator of the authority for a period kind, as table rows."""
    names = {
        f"procedure:{pk}": name
        for pk, name in Procedure.objects.filter(authority=authority).values_list("id", "name")
    }
    rows = []
    labels = indicator_labels()
    for snapshot in Snapshot.objects.filter(authority=authority, period=period).order_by(
        "scope", "start"
    ):
        scope_label = names.get(snapshot.scope) or (
            str(DOMAIN_LABELS.get(snapshot.domain, "")) if snapshot.scope != "all" else _("Tous")
        )
        for code in indicators.INDICATORS:
            block = snapshot.values.get(code, {})
            rows.append(
                [
                    snapshot.scope,
                    scope_label,
                    snapshot.start.isoformat(),
                    code,
                    labels[code],
                    block.get("measurable", False),
                    block.get("count", ""),
                    block.get("base", ""),
                    block.get("share", ""),
                    indicator_display(code, block),
                ]
            )
    return rows


def scopes_of(*, authority: Authority) -> list[tuple[str, str]]:
    """What a dashboard can show: the whole authority, each domain, each procedure."""
    procedures = list(
        Procedure.objects.filter(authority=authority).values_list("id", "name", "domain")
    )
    billing = Charge.objects.filter(authority=authority).values_list("domain", flat=True)
    domains = sorted(
        {domain for _id, _name, domain in procedures} | (set(billing.distinct()) & set(DOMAINS)),
        key=DOMAINS.index,
    )
    return [
        ("all", _("Toute la collectivité")),
        *[(f"domain:{d}", str(DOMAIN_LABELS[d])) for d in domains],
        *[(f"procedure:{pk}", name) for pk, name, _domain in procedures],
    ]


def invitations_of(*, authority: Authority) -> list[dict[str, Any]]:
    """The campaigns the authority is invited to, and whether it has answered."""
    answered = set(
        Respondent.objects.filter(authority=authority).values_list("campaign_id", flat=True)
    )
    return [
        {"campaign": invitation.campaign, "answered": invitation.campaign_id in answered}
        for invitation in Invitation.objects.filter(authority=authority).select_related("campaign")
    ]
