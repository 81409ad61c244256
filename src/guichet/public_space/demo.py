"""The demo's street-report categories (a realistic set for a French town)."""

# (code, name, description, group, service slug, keywords, questions)
CATEGORIES = [
    (
        "nid-de-poule",
        "Chaussée ou trottoir abîmé",
        "Nid-de-poule, affaissement, bordure cassée, trottoir dégradé.",
        "Voirie",
        "voirie",
        "nid-de-poule, chaussée, trottoir, route",
        [
            {
                "code": "surface",
                "label": "Où se trouve le défaut ?",
                "type": "singlevaluelist",
                "required": True,
                "values": [
                    {"key": "chaussee", "name": "Sur la chaussée"},
                    {"key": "trottoir", "name": "Sur le trottoir"},
                    {"key": "piste", "name": "Sur une piste cyclable"},
                ],
            },
            {
                "code": "danger",
                "label": "Le défaut présente-t-il un danger immédiat ?",
                "type": "singlevaluelist",
                "required": False,
                "values": [{"key": "oui", "name": "Oui"}, {"key": "non", "name": "Non"}],
            },
        ],
    ),
    (
        "eclairage",
        "Éclairage public en panne",
        "Lampadaire éteint, clignotant ou allumé en plein jour.",
        "Éclairage",
        "eclairage-public",
        "lampadaire, éclairage, lumière",
        [
            {
                "code": "numero_candelabre",
                "label": "Numéro inscrit sur le lampadaire (s'il y en a un)",
                "type": "string",
                "required": False,
            },
        ],
    ),
    (
        "depot-sauvage",
        "Dépôt sauvage",
        "Encombrants, sacs ou gravats abandonnés sur la voie publique.",
        "Propreté",
        "voirie",
        "déchets, encombrants, dépôt",
        [
            {
                "code": "nature",
                "label": "Nature des déchets",
                "type": "multivaluelist",
                "required": False,
                "values": [
                    {"key": "encombrants", "name": "Encombrants"},
                    {"key": "sacs", "name": "Sacs d'ordures"},
                    {"key": "gravats", "name": "Gravats"},
                    {"key": "dangereux", "name": "Produits dangereux"},
                ],
            },
        ],
    ),
    (
        "tag",
        "Tag ou graffiti",
        "Sur un bâtiment ou du mobilier public.",
        "Propreté",
        "voirie",
        "tag, graffiti",
        [],
    ),
    (
        "espaces-verts",
        "Espaces verts",
        "Arbre dangereux, pelouse non entretenue, aire de jeux abîmée.",
        "Espaces verts",
        "espaces-verts",
        "arbre, parc, jardin, pelouse",
        [],
    ),
    (
        "mobilier-urbain",
        "Mobilier urbain",
        "Banc, poubelle, abribus ou barrière cassés.",
        "Voirie",
        "voirie",
        "banc, poubelle, abribus",
        [],
    ),
    (
        "signalisation",
        "Signalisation",
        "Panneau tombé, feu tricolore en panne, marquage effacé.",
        "Voirie",
        "voirie",
        "panneau, feu, marquage",
        [],
    ),
]

SERVICES = [
    ("eclairage-public", "Éclairage public"),
    ("espaces-verts", "Espaces verts"),
]
