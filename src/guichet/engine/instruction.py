"""Procedures whose instruction a domain owns.

The generic case page moves a case along any transition its workflow allows. A domain
that instructs a procedure on its own pages (eligibility, committee, decision with an
amount, legal access rules…) declares it here, so that the generic page and the bulk
action cannot take a step the domain enforces. Each domain app lists its procedures in
`INSTRUCTIONS` of its `instruction` module (found like the `periodic` sweeps, so adding
one never touches the engine); procedures built with the builder are not listed and keep
the generic transitions. See docs/adr/0028-domain-owned-instruction.md.
"""

import functools
import importlib
from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext as _

from guichet.core.errors import DomainError, ErrorCode
from guichet.engine.models import Procedure


@dataclass(frozen=True, slots=True)
class DomainInstruction:
    domain: str
    procedure_slug: str  # the slug the domain's code finds its procedure by
    # The transitions the domain leaves to the generic page (asking for documents…);
    # every other transition of the procedure is taken only through the domain's pages,
    # so that a transition added to the workflow later is reserved until said otherwise.
    generic_transitions: frozenset[str] = frozenset()

    def reserves(self, name: str) -> bool:
        return name not in self.generic_transitions


@functools.cache
def instructions() -> dict[str, DomainInstruction]:
    """Every domain's declarations, by procedure slug."""
    found: dict[str, DomainInstruction] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("guichet."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.instruction")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.instruction":
                raise
            continue
        for declared in getattr(module, "INSTRUCTIONS", ()):
            found[declared.procedure_slug] = declared
    return found


def instruction_of(*, procedure: Procedure) -> DomainInstruction | None:
    # By slug alone, like the domains' own code: changing a procedure's domain in the
    # builder does not take its cases out of the domain's rules.
    return instructions().get(procedure.slug)


def transition_is_generic(*, procedure: Procedure, name: str) -> bool:
    """Whether the generic case page (and the bulk action) may take this transition."""
    instruction = instruction_of(procedure=procedure)
    return instruction is None or not instruction.reserves(name)


def transition_check_generic(*, procedure: Procedure, name: str) -> None:
    """Raises `DOMAIN_OWNED` when the generic pages may not take this transition."""
    if not transition_is_generic(procedure=procedure, name=name):
        raise DomainError(
            ErrorCode.DOMAIN_OWNED,
            _(
                "Cette action se fait depuis la page d'instruction du domaine, qui en "
                "vérifie les règles ; le dossier n'a pas été modifié."
            ),
        )
