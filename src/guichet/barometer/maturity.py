"""The maturity model as data: five domains x two axes (R, I) x levels 0-4.

See `docs/barometer.md`; the texts are those of the product's maturity model, shown
wherever a level is shown.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

DOMAINS = ("associations", "individuals", "public_space", "real_estate", "facilities")
DOMAIN_LABELS = {
    "associations": _("Associations et personnes morales"),
    "individuals": _("Services aux particuliers"),
    "public_space": _("Interventions sur l'espace public"),
    "real_estate": _("Opérations immobilières"),
    "facilities": _("Équipements publics"),
}
AXES = ("internal", "relation")
AXIS_LABELS = {
    "internal": _("Traitement interne"),
    "relation": _("Relation à l'usager"),
}
LEVELS = (0, 1, 2, 3, 4)
PARTLY = 2  # "at least partly dematerialised" = level ≥ 2
TOTALLY = 3  # "totally" = level ≥ 3


@dataclass(frozen=True)
class Level:
    axis: str
    value: int
    name: object
    criterion: object

    @property
    def code(self) -> str:
        return f"{'R' if self.axis == 'relation' else 'I'}{self.value}"


RELATION_LEVELS = (
    Level("relation", 0, _("aucun"), _("rien de la démarche n'est en ligne")),
    Level(
        "relation",
        1,
        _("information"),
        _("une page donne les conditions, les pièces, le coût, le délai et le contact"),
    ),
    Level(
        "relation",
        2,
        _("partiellement en ligne"),
        _(
            "la demande peut être faite en ligne, mais une étape au moins reste hors ligne "
            "(signature manuscrite, originaux, paiement ou retrait au guichet)"
        ),
    ),
    Level(
        "relation",
        3,
        _("entièrement en ligne"),
        _(
            "dépôt, complément du dossier, paiement, suivi et réception de la décision se font "
            "en ligne ; une voie non numérique demeure"
        ),
    ),
    Level(
        "relation",
        4,
        _("intégrée"),
        _(
            "R3 et au moins deux parmi : FranceConnect ; données pré-remplies depuis d'autres "
            "administrations (« Dites-le-nous une fois ») ; un point d'entrée unique ; "
            "attribution proactive"
        ),
    ),
)
INTERNAL_LEVELS = (
    Level("internal", 0, _("papier"), _("aucun outil informatique")),
    Level(
        "internal",
        1,
        _("outillé"),
        _(
            "bureautique ou logiciel métier ; les demandes en ligne sont ressaisies ; le dossier "
            "papier fait foi"
        ),
    ),
    Level(
        "internal",
        2,
        _("partiellement numérique"),
        _(
            "les demandes arrivent automatiquement dans l'outil ; signature, archivage ou "
            "rapprochement des paiements restent sur papier"
        ),
    ),
    Level(
        "internal",
        3,
        _("sans papier"),
        _(
            "le dossier électronique fait foi ; signature électronique ; paiements rapprochés ; "
            "archivage électronique ; aucune ressaisie"
        ),
    ),
    Level(
        "internal",
        4,
        _("interconnecté"),
        _(
            "I3 et échanges automatisés avec les partenaires (État, CAF, autres collectivités, "
            "prestataires) et tableaux de bord en continu"
        ),
    ),
)
AXIS_LEVELS = {"relation": RELATION_LEVELS, "internal": INTERNAL_LEVELS}


def level(axis: str, value: int) -> Level:
    return AXIS_LEVELS[axis][value]


# The reference procedures of each domain (applicability depends on the type of authority).
REFERENCE_PROCEDURES = {
    "associations": (
        _("demande de subvention et compte rendu"),
        _("prêt de salle ou de matériel"),
        _("déclaration de manifestation"),
    ),
    "individuals": (
        _("acte d'état civil"),
        _("APA, PCH, RSA (départements)"),
        _("inscription et facturation scolaire, cantine, crèche"),
    ),
    "public_space": (
        _("signalements (voirie, propreté, espaces verts)"),
        _("permis de stationnement et d'occupation du domaine public"),
    ),
    "real_estate": (
        _("information sur les projets"),
        _("marchés publics"),
        _("factures des prestataires"),
    ),
    "facilities": (_("réservation de salles, piscines, équipements"),),
}

# An authority's kind (tenants) → the stratum of the barometer.
STRATA = ("region", "departement", "metropole", "ville")
STRATUM_LABELS = {
    "region": _("Régions"),
    "departement": _("Départements"),
    "metropole": _("Communautés urbaines et métropoles"),
    "ville": _("Villes et agglomérations"),
}
KIND_TO_STRATUM = {
    "region": "region",
    "departement": "departement",
    "metropole": "metropole",
    "epci": "ville",
    "commune": "ville",
}
