"""The report in every format: JSON, HTML (standalone or inside a page), PDF, CSV, XLSX.

The HTML and PDF follow the 2012 barometer's structure: the e-services in place, the
maturity of the five domains, the services to users, the domains lagging and why, measures
and tools, then the method."""

import json
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.barometer import charts
from guichet.barometer import statistics as st
from guichet.barometer.maturity import (
    AXIS_LABELS,
    DOMAIN_LABELS,
    DOMAINS,
    STRATA,
    STRATUM_LABELS,
    level,
)
from guichet.barometer.questionnaire import LEVEL, OPTION_LABELS, TEMPLATES
from guichet.documents import tables
from guichet.documents.pdf import pdf_render

SECTIONS = (
    (gettext_lazy("1. Les e-services en place"), ("q2_eservices", "q3_lead", "q4_motivation", "q5_target")),
    (gettext_lazy("3. Les prestations aux usagers"), (
        "q7_apa_internal", "q7_apa_relation", "q7_pch_internal", "q7_pch_relation",
        "q7_rsa_internal", "q7_rsa_relation", "q7_civil_status_relation",
        "q7_canteen_online_payment", "q7_creche_online_payment",
    )),
    (gettext_lazy("4. Les domaines en retard et leurs raisons"), ("q8_lag_reasons", "q9_impacts", "q10_pace")),
    (gettext_lazy("5. Mesure et outils"), ("q11_measures", "q12_tools")),
)  # fmt: skip
FORMATS = ("json", "html", "pdf", "xlsx", "csv")


def percent(value: float) -> str:
    return f"{round(value * 100)} %"


def cell(block: dict[str, Any], base: int) -> dict[str, str]:
    """A proportion as shown: suppressed under 5, k/n under 10, else % with its interval."""
    if base < st.SUPPRESS_UNDER:
        return {"value": "—", "interval": "", "flag": _("n < 5 : non publié")}
    if base < st.FRACTION_UNDER:
        return {"value": f"{block['count']}/{base}", "interval": "", "flag": ""}
    low, high = block["ci95"]
    return {
        "value": percent(block["share"]),
        "interval": f"[{round(low * 100)} ; {round(high * 100)}]",
        "flag": "※" if high - low > st.WIDE_INTERVAL else "",
    }


def _option_label(option: str, kind: str) -> str:
    if kind == LEVEL:
        return _("niveau ≥ %(k)s") % {"k": option}
    return str(OPTION_LABELS.get(option, option))


def item_table(code: str, block: dict[str, Any]) -> dict[str, Any]:
    key = "at_least" if block["type"] == LEVEL else "options"
    strata = list(block["by_stratum"])
    rows = []
    for option, figures in block.get(key, {}).items():
        row = {
            "option": option,
            "label": _option_label(option, block["type"]),
            "all": cell(figures, block["base"]),
            "strata": [
                cell(block["by_stratum"][s][key][option], block["by_stratum"][s]["base"])
                for s in strata
            ],
        }
        if "weighted" in block:
            weighted = block["weighted"][key][option]
            row["weighted"] = {
                "value": percent(weighted["share"]),
                "interval": f"[{round(weighted['ci95'][0] * 100)} ; {round(weighted['ci95'][1] * 100)}]",
            }
        rows.append(row)
    return {
        "code": code,
        "label": block["label"],
        "base": block["base"],
        "strata": [
            {"code": s, "label": STRATUM_LABELS[s], "base": block["by_stratum"][s]["base"]}
            for s in strata
        ],
        "rows": rows,
        "weighted": "weighted" in block,
        "previous": _previous_rows(block),
    }


def _previous_rows(block: dict[str, Any]) -> list[dict[str, str]]:
    previous = block.get("previous")
    if not previous:
        return []
    key = "at_least" if block["type"] == LEVEL else "options"
    rows = []
    for option, figures in previous[key].items():
        low, high = figures["ci95"]
        rows.append(
            {
                "label": _option_label(option, block["type"]),
                "before": percent(figures["previous_share"]),
                "difference": f"{round(figures['difference'] * 100):+d}",
                "interval": f"[{round(low * 100):+d} ; {round(high * 100):+d}]",
                "paired": f"+{figures['paired']['gained']} / -{figures['paired']['lost']}",
                "p_value": f"{figures['paired']['p_value']:.3f}",
            }
        )
    return rows


def domain_charts(report: dict[str, Any]) -> dict[str, Any]:
    domains = report["domains"]
    n = report["respondents"]
    basis = _("n = %(n)s répondants ; base : répondants concernés ; %(weighting)s") % {
        "n": n,
        "weighting": _("non pondéré (panel)"),
    }
    bars, table, gaps = [], [], []
    for domain in DOMAINS:
        axes = domains.get(domain, {})
        for axis in ("internal", "relation"):
            block = axes.get(axis)
            if not block:
                continue
            base = block["base"] or 1
            parts = tuple(block["levels"][str(k)] / base for k in range(5))
            label = f"{DOMAIN_LABELS[domain]} — {AXIS_LABELS[axis]}"
            bars.append(charts.Bar(label=label, parts=parts, note=f"n={block['base']}"))
            table.append(
                {
                    "domain": DOMAIN_LABELS[domain],
                    "axis": AXIS_LABELS[axis],
                    "base": block["base"],
                    "levels": [block["levels"][str(k)] for k in range(5)],
                    "partly": cell(block["partly"], block["base"]),
                    "totally": cell(block["totally"], block["base"]),
                }
            )
        if "gap" in axes:
            gaps.append(
                {
                    "label": str(DOMAIN_LABELS[domain]),
                    "internal": axes["internal"]["partly"]["share"],
                    "relation": axes["relation"]["partly"]["share"],
                    "gap": f"{round(axes['gap'] * 100):+d}",
                }
            )
    legend = [_("niveau %(k)s") % {"k": k} for k in range(5)]
    multiples = []
    for stratum in STRATA:
        points = []
        for domain in DOMAINS:
            block = domains.get(domain, {}).get("internal", {}).get("by_stratum", {}).get(stratum)
            share = (
                block["partly"]["share"] if block and block["base"] >= st.SUPPRESS_UNDER else None
            )
            points.append(
                (
                    DOMAIN_LABELS[domain].split(" ")[0],
                    share,
                    block["base"] if block else 0,
                    cell(block["partly"], block["base"])["value"] if block else "—",
                )
            )
        if any(p[2] for p in points):
            stratum_basis = _(
                "n = %(n)s répondants ; base : répondants concernés ; %(weighting)s"
            ) % {
                "n": report["frame"][stratum]["respondents"],
                "weighting": _("non pondéré (panel)"),
            }
            multiples.append(
                {
                    "stratum": STRATUM_LABELS[stratum],
                    "basis": stratum_basis,
                    "chart": charts.columns(
                        title=_(
                            "%(stratum)s : traitement interne au moins partiellement dématérialisé"
                        )
                        % {"stratum": STRATUM_LABELS[stratum]},
                        description=stratum_basis,
                        points=[(label, share) for label, share, _n, _shown in points],
                    ),
                    "rows": [
                        {"label": label, "share": shown, "base": base}
                        for label, _share, base, shown in points
                    ],
                }
            )
    return {
        "basis": basis,
        "stacked": charts.stacked(
            title=_("Niveaux de maturité par domaine : traitement interne et relation à l'usager"),
            description=basis,
            bars=bars,
            legend=legend,
        ),
        "table": table,
        "gap_chart": charts.dots(
            title=_("Écart entre traitement interne et relation à l'usager (niveau ≥ 2)"),
            description=basis,
            rows=[(g["label"], g["internal"], g["relation"]) for g in gaps],
            legend=(str(AXIS_LABELS["internal"]), str(AXIS_LABELS["relation"])),
        ),
        "gaps": [
            g | {"internal": percent(g["internal"]), "relation": percent(g["relation"])}
            for g in gaps
        ],
        "multiples": multiples,
    }


def report_context(report: dict[str, Any]) -> dict[str, Any]:
    items = report["items"]
    return {
        "report": report,
        "frame": [
            {"label": STRATUM_LABELS[s], **report["frame"][s]}
            | {
                "rate": percent(report["frame"][s]["response_rate"])
                if report["frame"][s]["response_rate"] is not None
                else "—"
            }
            for s in STRATA
        ],
        "sections": [
            {
                "title": title,
                "tables": [item_table(code, items[code]) for code in codes if code in items],
            }
            for title, codes in SECTIONS
        ],
        "domains": domain_charts(report),
        "levels": [(level("internal", k), level("relation", k)) for k in range(5)],
        "template": TEMPLATES[report["campaign"]["template"]],
    }


def report_html_document(report: dict[str, Any]) -> str:
    """A standalone HTML document (styles inside), as the command writes it and the PDF; it
    is downloaded, never shown as a page (hence under `pdf/`, outside the CSP's reach)."""
    return render_to_string("barometer/pdf/report_document.html", report_context(report))


def report_pdf(report: dict[str, Any]) -> bytes:
    return pdf_render(template="barometer/pdf/report_document.html", context=report_context(report))


def report_header() -> list[str]:
    return [
        "item", "label", "scope", "option", "count", "base", "share", "ci95_low", "ci95_high",
        "weighted_share", "weighted_ci95_low", "weighted_ci95_high",
    ]  # fmt: skip


def report_rows(report: dict[str, Any]) -> list[list[Any]]:
    """One row per item, option and scope (all, then each stratum): the same figures as the
    JSON report, unrounded."""
    rows: list[list[Any]] = []
    for code, block in report["items"].items():
        key = "at_least" if block["type"] == LEVEL else "options"
        if key not in block:
            continue
        for option, figures in block[key].items():
            weighted = block.get("weighted", {}).get(key, {}).get(option)
            rows.append(
                [code, block["label"], "all", option, figures["count"], block["base"],
                 figures["share"], *figures["ci95"],
                 *([weighted["share"], *weighted["ci95"]] if weighted else ["", "", ""])]
            )  # fmt: skip
            for stratum, sub in block["by_stratum"].items():
                f = sub[key][option]
                rows.append(
                    [code, block["label"], stratum, option, f["count"], sub["base"], f["share"],
                     *f["ci95"], "", "", ""]
                )  # fmt: skip
    return rows


def report_render(report: dict[str, Any], file_format: str) -> bytes:
    if file_format == "json":
        return json.dumps(report, ensure_ascii=False, indent=2, default=str).encode()
    if file_format == "html":
        return report_html_document(report).encode()
    if file_format == "pdf":
        return report_pdf(report)
    if file_format == "csv":
        return "".join(tables.csv_stream(header=report_header(), rows=report_rows(report))).encode()
    if file_format == "xlsx":
        handle: IO[bytes] = tables.xlsx_file(
            title=report["campaign"]["slug"], header=report_header(), rows=report_rows(report)
        )
        return handle.read()
    raise ValueError(file_format)
