"""The action's budget of the CERFA 12156 (part 6): charges and resources must balance."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")

# The CERFA's headings (chart of accounts); the amount asked of the authority is added as
# its own resource line, so that the applicant types it once.
CHARGE_CATEGORIES = [
    ("60", _("60 — Achats")),
    ("61", _("61 — Services extérieurs")),
    ("62", _("62 — Autres services extérieurs")),
    ("63", _("63 — Impôts et taxes")),
    ("64", _("64 — Charges de personnel")),
    ("65", _("65 — Autres charges de gestion courante")),
    ("86", _("86 — Contributions volontaires en nature")),
]
RESOURCE_CATEGORIES = [
    ("70", _("70 — Ventes, prestations de services")),
    ("74-state", _("74 — Subvention de l'État")),
    ("74-region", _("74 — Subvention de la région")),
    ("74-department", _("74 — Subvention du département")),
    ("74-other", _("74 — Autre financeur public ou privé")),
    ("75", _("75 — Autres produits (cotisations, dons)")),
    ("87", _("87 — Contributions volontaires en nature")),
]
REQUESTED_CATEGORY = "74-authority"


@dataclass(frozen=True, slots=True)
class BudgetEntry:
    side: str  # "charge" | "resource"
    category: str
    label: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class BudgetTotals:
    charges: Decimal
    resources: Decimal  # including the amount asked of the authority

    @property
    def difference(self) -> Decimal:
        return self.charges - self.resources

    @property
    def is_balanced(self) -> bool:
        return self.difference == ZERO


def budget_totals(*, entries: list[BudgetEntry], amount_requested: Decimal) -> BudgetTotals:
    charges = sum((e.amount for e in entries if e.side == "charge"), ZERO)
    resources = sum((e.amount for e in entries if e.side == "resource"), ZERO)
    return BudgetTotals(charges=charges, resources=resources + amount_requested)
