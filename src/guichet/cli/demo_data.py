"""What `seed_demo` creates: two authorities, their services, people and procedures."""

from pathlib import Path

import guichet

DEMO_PASSWORD = "guichet-demo"  # noqa: S105 - demo logins, printed in the README

AUTHORITIES = [
    {
        "slug": "ville-demo",
        "name": "Ville de Démo-sur-Loire",
        "kind": "commune",
        "official_code": "45999",
        "population": 48210,
        "primary_colour": "#000091",
        "accent_colour": "#c9191e",
        "contact_email": "accessibilite@ville-demo.fr",
        "host": "ville-demo.localhost",
        "email_domain": "ville-demo.fr",
    },
    {
        "slug": "departement-demo",
        "name": "Département de Démo",
        "kind": "departement",
        "official_code": "229900017",
        "population": 612400,
        "primary_colour": "#1f4e3d",
        "accent_colour": "#8a4b00",
        "contact_email": "accessibilite@departement-demo.fr",
        "host": "departement-demo.localhost",
        "email_domain": "departement-demo.fr",
    },
]

SERVICES = [
    ("etat-civil", "État civil"),
    ("vie-associative", "Vie associative"),
    ("voirie", "Voirie et propreté"),
    ("equipements", "Équipements publics"),
    ("patrimoine", "Patrimoine bâti"),
    ("aide-sociale", "Aide sociale"),
    ("enfance", "Enfance et écoles"),
]

# (local part, first name, last name, role or "admin", services)
AGENTS = [
    ("agent", "Nadia", "Benali", "agent", ["etat-civil", "vie-associative", "equipements"]),
    ("responsable", "Paul", "Lefèvre", "manager", ["etat-civil", "vie-associative", "equipements"]),
    ("voirie", "Marc", "Dupont", "agent", ["voirie", "patrimoine"]),
    ("admin", "Sophie", "Moreau", "admin", []),
]

RESIDENTS = [
    ("camille.martin@example.fr", "Camille", "Martin", "06 12 34 56 78", "12 rue des Lilas"),
    ("jean.petit@example.fr", "Jean", "Petit", "07 98 76 54 32", "3 place de la Mairie"),
]


def procedure_files() -> list[Path]:
    root = Path(guichet.__file__).parent
    return sorted(root.glob("*/procedures/*.yaml"))


# A one-page PDF, small enough to live here: the demo's scanned letters and identity papers.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
