"""Questionnaire templates. The 2012 one ships with its codes unchanged: they are the column
names of the spreadsheet import and the keys of the JSON report."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from guichet.barometer.maturity import AXIS_LABELS, DOMAIN_LABELS, DOMAINS, STRATA

STRATUM = "stratum"
INTEGER = "integer"
CHOICE = "choice"
MULTIPLE = "multiple"
LEVEL = "level"
LEVEL_VALUES = ("0", "1", "2", "3", "4")


@dataclass(frozen=True)
class Item:
    code: str
    label: object
    type: str
    options: tuple[str, ...] = ()
    applies_to: tuple[str, ...] = STRATA  # strata to whom the item is asked
    condition: tuple[str, str] | None = None  # (item code, value) that must hold

    @property
    def allowed(self) -> tuple[str, ...]:
        if self.type == LEVEL:
            return LEVEL_VALUES
        return self.options

    def applies(self, answers: dict) -> bool:
        if answers.get("authority_type") not in self.applies_to:
            return False
        if self.condition is not None:
            code, value = self.condition
            return answers.get(code) == value
        return True


@dataclass(frozen=True)
class Template:
    key: str
    name: object
    items: tuple[Item, ...]

    def item(self, code: str) -> Item:
        return self.by_code[code]

    @property
    def by_code(self) -> dict[str, Item]:
        return {item.code: item for item in self.items}


DEPARTEMENTS = ("departement",)
CITIES = ("ville",)
IF_ESERVICES = ("q2_eservices", "yes")
YES_NO = ("yes", "no")

_q6 = tuple(
    Item(
        f"q6_{domain}_{axis}",
        f"{DOMAIN_LABELS[domain]} — {AXIS_LABELS[axis]}",
        LEVEL,
    )
    for domain in DOMAINS
    for axis in ("internal", "relation")
)
_q7_aids = tuple(
    Item(f"q7_{aid}_{axis}", f"{aid.upper()} — {AXIS_LABELS[axis]}", LEVEL, applies_to=DEPARTEMENTS)
    for aid in ("apa", "pch", "rsa")
    for axis in ("internal", "relation")
)

TEMPLATE_2012 = Template(
    key="2012",
    name=_("Baromètre des e-services des collectivités (2012)"),
    items=(
        Item("authority_type", _("Type de collectivité"), STRATUM, options=STRATA),
        Item("population", _("Nombre d'habitants"), INTEGER),
        Item(
            "q2_eservices", _("Des services d'e-administration sont-ils en place ?"), CHOICE, YES_NO
        ),
        Item(
            "q3_lead",
            _("Qui pilote l'e-administration ?"),
            CHOICE,
            ("direction_generale_elus", "dsi", "directions_metier"),
            condition=IF_ESERVICES,
        ),
        Item(
            "q4_motivation",
            _("Motivation principale"),
            CHOICE,
            (
                "relation_usager",
                "organisation",
                "transversalite",
                "economies",
                "image",
                "obligation",
            ),
            condition=IF_ESERVICES,
        ),
        Item(
            "q5_target",
            _("Cible prioritaire"),
            CHOICE,
            ("usagers", "agents", "both"),
            condition=IF_ESERVICES,
        ),
        *_q6,
        *_q7_aids,
        Item(
            "q7_civil_status_relation",
            _("Actes d'état civil — relation à l'usager"),
            LEVEL,
            applies_to=CITIES,
        ),
        Item(
            "q7_canteen_online_payment",
            _("Paiement en ligne de la cantine"),
            CHOICE,
            YES_NO,
            applies_to=CITIES,
        ),
        Item(
            "q7_creche_online_payment",
            _("Paiement en ligne de la crèche"),
            CHOICE,
            YES_NO,
            applies_to=CITIES,
        ),
        Item(
            "q8_lag_reasons",
            _("Raisons du retard des domaines au niveau 1 ou moins"),
            MULTIPLE,
            (
                "solutions_immatures",
                "culture",
                "multicanal",
                "contraintes_legales",
                "cout",
                "autre",
            ),
        ),
        Item(
            "q9_impacts",
            _("Impacts constatés"),
            MULTIPLE,
            ("economies", "surcouts", "organisation", "externalisation"),
        ),
        Item(
            "q10_pace",
            _("Rythme"),
            CHOICE,
            ("adequate", "behind_internal_needs", "behind_population"),
        ),
        Item(
            "q11_measures", _("Mesures en place"), MULTIPLE, ("usage", "satisfaction", "needs_fit")
        ),
        Item(
            "q12_tools",
            _("Outils"),
            MULTIPLE,
            ("teletravail", "parapheur", "coffre_fort", "signature"),
        ),
    ),
)

TEMPLATES = {TEMPLATE_2012.key: TEMPLATE_2012}

# Option labels, shown beside the codes (the codes stay the keys).
OPTION_LABELS = {
    "yes": _("oui"),
    "no": _("non"),
    "region": _("région"),
    "departement": _("département"),
    "metropole": _("métropole ou communauté urbaine"),
    "ville": _("ville ou agglomération"),
    "direction_generale_elus": _("direction générale et élus"),
    "dsi": _("direction des systèmes d'information"),
    "directions_metier": _("directions métier"),
    "relation_usager": _("amélioration de la relation à l'usager"),
    "organisation": _("organisation"),
    "transversalite": _("transversalité"),
    "economies": _("économies"),
    "image": _("image"),
    "obligation": _("obligation"),
    "usagers": _("usagers"),
    "agents": _("agents"),
    "both": _("les deux"),
    "solutions_immatures": _("manque de maturité des solutions"),
    "culture": _("difficultés culturelles"),
    "multicanal": _("approche multicanal privilégiée"),
    "contraintes_legales": _("contraintes législatives et réglementaires"),
    "cout": _("coût"),
    "autre": _("autre"),
    "surcouts": _("surcoûts"),
    "externalisation": _("externalisation"),
    "adequate": _("adapté"),
    "behind_internal_needs": _("en retard sur les besoins internes"),
    "behind_population": _("en retard sur les attentes de la population"),
    "usage": _("usage"),
    "satisfaction": _("satisfaction"),
    "needs_fit": _("adéquation aux besoins"),
    "teletravail": _("télétravail"),
    "parapheur": _("parapheur électronique"),
    "coffre_fort": _("coffre-fort numérique"),
    "signature": _("signature électronique"),
}
