"""A synthetic panel of 95 respondents that reproduces every figure of the 2012 barometer.

5 regions, 20 départements, 10 métropoles, 60 cities. The figures (article of 6 December
2012): e-services in place 85 % (81 of 95); among those 81, led by general management and
elected members 60 % (49), main motivation the relation with users 51 % (41), priority
target users 54 % (44) vs agents 10 % (8); aid procedures (APA, PCH, RSA, départements)
at least partly dematerialised internally 75 % (15 of 20) vs 20 % (4) for the relation;
civil-status certificates at least partly online 65 % (39 of 60), totally a third (20);
online payment of canteen or crèche a third (20 of 60).
Everything is deterministic: respondent i always gives the same answers.
"""

import csv
import io
from typing import Any

from guichet.barometer.questionnaire import TEMPLATE_2012

PANEL = (("region", 5), ("departement", 20), ("metropole", 10), ("ville", 60))
# Respondents without e-services, per stratum (14 of 95).
NO_ESERVICES = {"region": 0, "departement": 2, "metropole": 1, "ville": 11}
POPULATION = {"region": 3_000_000, "departement": 600_000, "metropole": 450_000, "ville": 90_000}
# Domains' levels (internal, relation) cycle over these pairs, per domain.
DOMAIN_LEVELS = {
    "associations": ((2, 1), (3, 2), (1, 1), (2, 2), (0, 0)),
    "individuals": ((3, 2), (2, 2), (3, 3), (2, 1), (1, 1)),
    "public_space": ((1, 0), (2, 1), (1, 1), (0, 0), (2, 2)),
    "real_estate": ((2, 1), (1, 0), (3, 1), (2, 0), (1, 1)),
    "facilities": ((2, 2), (3, 3), (1, 1), (2, 1), (4, 3)),
}

# Per stratum: the first pair of DOMAIN_LEVELS it uses, and how many.
STRATUM_CYCLE = {"region": (0, 5), "departement": (1, 3), "metropole": (2, 3), "ville": (0, 4)}


def _pick(index: int, counts: list[tuple[str, int]]) -> str:
    """The option of the index-th respondent when options fill the base in this order."""
    for option, count in counts:
        if index < count:
            return option
        index -= count
    raise IndexError(index)


def rows() -> list[dict[str, Any]]:
    result = []
    eservice_index = 0  # position among the 81 respondents with e-services
    for stratum, size in PANEL:
        for i in range(size):
            number = len(result)
            answers: dict[str, Any] = {
                "respondent": f"{stratum}-{i + 1:02d}",
                "authority_type": stratum,
                "population": POPULATION[stratum] + 1000 * i,
            }
            has_eservices = i >= NO_ESERVICES[stratum]
            answers["q2_eservices"] = "yes" if has_eservices else "no"
            if has_eservices:
                k = eservice_index
                eservice_index += 1
                answers["q3_lead"] = _pick(
                    k, [("direction_generale_elus", 49), ("dsi", 20), ("directions_metier", 12)]
                )
                answers["q4_motivation"] = _pick(
                    (k * 7) % 81,
                    [
                        ("relation_usager", 41),
                        ("organisation", 15),
                        ("transversalite", 8),
                        ("economies", 9),
                        ("image", 5),
                        ("obligation", 3),
                    ],
                )
                answers["q5_target"] = _pick(
                    (k * 11) % 81, [("usagers", 44), ("agents", 8), ("both", 29)]
                )
            for domain, pairs in DOMAIN_LEVELS.items():
                # Strata differ: each cycles over its own part of the pairs.
                first, count = STRATUM_CYCLE[stratum]
                internal, relation = pairs[first + i % count]
                answers[f"q6_{domain}_internal"] = internal
                answers[f"q6_{domain}_relation"] = relation
            if stratum == "departement":
                # 15 of 20 at least 2 internally; 4 of 20 at least 2 for the relation.
                internal = _pick(i, [(3, 6), (2, 9), (1, 5)])
                relation = _pick(i, [(2, 4), (1, 10), (0, 6)])
                for aid in ("apa", "pch", "rsa"):
                    answers[f"q7_{aid}_internal"] = internal
                    answers[f"q7_{aid}_relation"] = relation
            if stratum == "ville":
                # 39 of 60 at least 2, of whom 20 at least 3.
                answers["q7_civil_status_relation"] = _pick(i, [(3, 20), (2, 19), (1, 15), (0, 6)])
                answers["q7_canteen_online_payment"] = "yes" if i % 3 == 0 else "no"
                answers["q7_creche_online_payment"] = "yes" if i % 3 == 1 else "no"
            answers["q8_lag_reasons"] = [
                option
                for j, option in enumerate(
                    ("solutions_immatures", "culture", "multicanal", "contraintes_legales", "cout")
                )
                if (number + j) % (j + 2) == 0
            ]
            answers["q9_impacts"] = ["organisation"] + (["economies"] if number % 2 else [])
            answers["q10_pace"] = ("adequate", "behind_internal_needs", "behind_population")[
                number % 3
            ]
            answers["q11_measures"] = ["usage"] + (["satisfaction"] if number % 4 == 0 else [])
            answers["q12_tools"] = ["parapheur"] + (["signature"] if number % 5 < 2 else [])
            result.append(answers)
    return result


def csv_bytes(sheets: list[dict[str, Any]] | None = None) -> bytes:
    """The panel as the import expects it: `;`-separated, multiple choices joined by `;`
    inside quoted cells, empty cells for items that do not apply."""
    columns = ["respondent", *(item.code for item in TEMPLATE_2012.items)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(columns)
    for answers in sheets if sheets is not None else rows():
        writer.writerow([_cell(answers.get(code)) for code in columns])
    return buffer.getvalue().encode("utf-8")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    return str(value)
