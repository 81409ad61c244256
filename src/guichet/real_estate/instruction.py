"""The procedures this domain instructs on its own pages (see `guichet.engine.instruction`)."""

from guichet.engine.instruction import DomainInstruction
from guichet.real_estate.selectors import WORKS_REQUEST_SLUG

INSTRUCTIONS = [
    # Converting a works request creates its operation at the same time: the operations'
    # pages. Declining it (a manager, with a comment) needs nothing more.
    DomainInstruction(
        domain="real_estate",
        procedure_slug=WORKS_REQUEST_SLUG,
        generic_transitions=frozenset({"decline"}),
    ),
]
