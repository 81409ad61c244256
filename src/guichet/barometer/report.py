"""The campaign report as data: the JSON report, and what the HTML, PDF, CSV and XLSX
renderings read.

For every item: `base` (respondents to whom the item applies who answered); for choice and
multiple-choice items `options.<option>` = {count, share, ci95}; for level items
`at_least.<k>` (k = 1..4); the same under `by_stratum.<stratum>`; weighted figures under
`weighted` when the campaign has a frame. Shares are fractions, intervals Wilson 95 %.
"""

from typing import Any

from django.utils.translation import gettext as _

from guichet.barometer import statistics as st
from guichet.barometer.maturity import DOMAINS, KIND_TO_STRATUM, LEVELS, STRATA
from guichet.barometer.models import Campaign, Respondent
from guichet.barometer.questionnaire import (
    CHOICE,
    INTEGER,
    LEVEL,
    MULTIPLE,
    STRATUM,
    Item,
    Template,
)

AT_LEAST = (1, 2, 3, 4)


def _hits(item: Item, sheets: list[dict[str, Any]]) -> dict[str, int]:
    """For each option (or `at_least` level), how many sheets of the base count it."""
    if item.type == LEVEL:
        return {str(k): sum(1 for a in sheets if a[item.code] >= k) for k in AT_LEAST}
    if item.type == MULTIPLE:
        return {o: sum(1 for a in sheets if o in a[item.code]) for o in item.options}
    return {o: sum(1 for a in sheets if a[item.code] == o) for o in item.options}


def _key(item: Item) -> str:
    return "at_least" if item.type == LEVEL else "options"


def _block(item: Item, sheets: list[dict[str, Any]]) -> dict[str, Any]:
    base = [a for a in sheets if item.applies(a) and item.code in a]
    n = len(base)
    block: dict[str, Any] = {
        "base": n,
        "suppressed": n < st.SUPPRESS_UNDER,
        "as_fraction": n < st.FRACTION_UNDER,
    }
    if item.type == INTEGER:
        values = [a[item.code] for a in base]
        block["median"] = st.median(values)
        block["total"] = sum(values)
        return block
    block[_key(item)] = {
        option: st.proportion(count, n).as_dict() for option, count in _hits(item, base).items()
    }
    if item.type == LEVEL:
        block["levels"] = {str(k): sum(1 for a in base if a[item.code] == k) for k in LEVELS}
    return block


def _weighted(
    item: Item, sheets: list[dict[str, Any]], frame: dict[str, int]
) -> dict[str, Any] | None:
    if not frame or item.type in (INTEGER,):
        return None
    by_stratum = {
        s: [
            a for a in sheets if a.get("authority_type") == s and item.applies(a) and item.code in a
        ]
        for s in STRATA
        if s in frame
    }
    result: dict[str, Any] = {
        "population": sum(frame[s] for s, base in by_stratum.items() if base),
        _key(item): {},
    }
    hits = {s: _hits(item, base) for s, base in by_stratum.items()}
    keys = [str(k) for k in AT_LEAST] if item.type == LEVEL else list(item.options)
    for option in keys:
        estimate = st.stratified(
            [
                st.Stratum(population=frame[s], base=len(base), count=hits[s][option])
                for s, base in by_stratum.items()
            ]
        )
        if estimate is None:
            return None
        result[_key(item)][option] = estimate.as_dict()
    return result


def item_report(item: Item, sheets: list[dict[str, Any]], frame: dict[str, int]) -> dict[str, Any]:
    block = {"label": str(item.label), "type": item.type, **_block(item, sheets)}
    block["by_stratum"] = {
        s: _block(item, [a for a in sheets if a.get("authority_type") == s])
        for s in item.applies_to
        if any(a.get("authority_type") == s for a in sheets)
    }
    weighted = _weighted(item, sheets, frame)
    if weighted is not None:
        block["weighted"] = weighted
    return block


def _previous(
    item: Item,
    sheets: dict[str, dict[str, Any]],
    previous: dict[str, dict[str, Any]],
) -> dict[str, Any] | None:
    if item.type not in (CHOICE, MULTIPLE, LEVEL, STRATUM):
        return None
    now = {k: a for k, a in sheets.items() if item.applies(a) and item.code in a}
    before = {k: a for k, a in previous.items() if item.applies(a) and item.code in a}
    if not now or not before:
        return None
    hits_now, hits_before = _hits(item, list(now.values())), _hits(item, list(before.values()))
    both = sorted(set(now) & set(before))
    result: dict[str, Any] = {"base": len(before), "paired_base": len(both), _key(item): {}}
    for option in hits_now:
        difference, interval = st.newcombe(
            hits_now[option], len(now), hits_before[option], len(before)
        )
        gained = lost = 0
        for key in both:
            yes_now = _hits(item, [now[key]])[option] == 1
            yes_before = _hits(item, [before[key]])[option] == 1
            gained += yes_now and not yes_before
            lost += yes_before and not yes_now
        statistic, p_value = st.mcnemar(gained, lost)
        result[_key(item)][option] = {
            "previous_share": hits_before[option] / len(before),
            "difference": difference,
            "ci95": list(interval),
            "paired": {
                "gained": gained,
                "lost": lost,
                "statistic": statistic,
                "p_value": p_value,
            },
        }
    return result


def campaign_previous(campaign: Campaign) -> Campaign | None:
    return (
        Campaign.objects.filter(authority=campaign.authority, year__lt=campaign.year)
        .order_by("-year")
        .first()
    )


def method_breaks(template: Template, previous: Template) -> list[str]:
    """Items whose wording changed (or that appeared, or went) between two templates."""
    now, before = template.by_code, previous.by_code
    return sorted(
        code
        for code in set(now) | set(before)
        if code not in now
        or code not in before
        or str(now[code].label) != str(before[code].label)
        or now[code].allowed != before[code].allowed
    )


def campaign_report(campaign: Campaign) -> dict[str, Any]:
    template = campaign.questionnaire
    respondents = list(Respondent.objects.filter(campaign=campaign))
    sheets = {r.key: r.answers for r in respondents}
    frame_rows = {f.stratum: f for f in campaign.frame.all()}
    frame = {s: f.population for s, f in frame_rows.items() if f.population}
    counts = {s: sum(1 for r in respondents if r.stratum == s) for s in STRATA}
    invited_here = {s: 0 for s in STRATA}
    for invitation in campaign.invitations.select_related("authority"):
        invited_here[KIND_TO_STRATUM.get(invitation.authority.kind, "ville")] += 1
    frame_report = {}
    for s in STRATA:
        row = frame_rows.get(s)
        invited = max(row.invited if row else 0, invited_here[s])
        frame_report[s] = {
            "population": row.population if row else None,
            "invited": invited,
            "respondents": counts[s],
            "response_rate": counts[s] / invited if invited else None,
        }
    previous_campaign = campaign_previous(campaign)
    previous_sheets = (
        {r.key: r.answers for r in previous_campaign.respondents.all()} if previous_campaign else {}
    )
    items = {}
    for item in template.items:
        block = item_report(item, list(sheets.values()), frame)
        if previous_campaign is not None:
            comparison = _previous(item, sheets, previous_sheets)
            if comparison is not None:
                block["previous"] = comparison
        items[item.code] = block
    report: dict[str, Any] = {
        "campaign": {
            "slug": campaign.slug,
            "name": campaign.name,
            "year": campaign.year,
            "template": campaign.template,
        },
        "respondents": len(respondents),
        "frame": frame_report,
        "weighted": bool(frame),
        "items": items,
        "domains": domain_summary(items),
        "method": method_notes(bool(frame)),
    }
    if previous_campaign is not None:
        report["previous"] = {
            "slug": previous_campaign.slug,
            "year": previous_campaign.year,
            "respondents": len(previous_sheets),
            "method_breaks": method_breaks(template, previous_campaign.questionnaire),
        }
    return report


def domain_summary(items: dict[str, Any]) -> dict[str, Any]:
    """Per domain and axis: the distribution over levels 0-4, the shares at least partly
    (≥ 2) and totally (≥ 3), and the gap internal - relation (points of share ≥ 2)."""
    summary = {}
    for domain in DOMAINS:
        axes = {}
        for axis in ("internal", "relation"):
            block = items.get(f"q6_{domain}_{axis}")
            if block is None:
                continue
            axes[axis] = {
                "base": block["base"],
                "levels": block["levels"],
                "partly": block["at_least"]["2"],
                "totally": block["at_least"]["3"],
                "by_stratum": {
                    s: {"base": b["base"], "partly": b["at_least"]["2"]}
                    for s, b in block["by_stratum"].items()
                },
            }
        if len(axes) == 2:
            axes["gap"] = axes["internal"]["partly"]["share"] - axes["relation"]["partly"]["share"]
        summary[domain] = axes
    return summary


def method_notes(weighted: bool) -> list[str]:
    notes = [
        _(
            "Base : les répondants à qui la question s'applique (type de collectivité, "
            "question filtre) et qui y ont répondu ; une case vide vaut « sans objet »."
        ),
        _(
            "Intervalles de confiance à 95 % de Wilson. Les questions à choix multiples sont "
            "comptées option par option sur la base."
        ),
        _(
            "Effectifs : sous 10 répondants, le résultat est donné en k/n ; sous 5, il n'est "
            "pas publié ; un intervalle plus large que 20 points est signalé (※)."
        ),
        _(
            "Les strates sont présentées dans un ordre fixe, jamais classées : leurs intervalles "
            "se recouvrent souvent."
        ),
    ]
    if weighted:
        notes.append(
            _(
                "Estimations pondérées : poids N_h / n_h par strate, variance stratifiée "
                "Σ W_h² (1 - f_h) p_h (1 - p_h) / (n_h - 1) avec correction de population "
                "finie ; intervalle de Wilson sur la taille effective p (1 - p) / variance."
            )
        )
    else:
        notes.append(_("Sans base de sondage : résultats du panel des répondants, non pondérés."))
    notes.append(
        _(
            "Évolution : tous les répondants (intervalle de Newcombe pour la différence) et les "
            "collectivités ayant répondu les deux années (test de McNemar)."
        )
    )
    return notes
