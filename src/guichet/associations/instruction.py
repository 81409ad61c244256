"""The procedures this domain instructs on its own pages (see `guichet.engine.instruction`)."""

from guichet.associations.selectors import SUBSIDY_PROCEDURE_SLUG
from guichet.engine.instruction import DomainInstruction

INSTRUCTIONS = [
    # Eligibility, committee (session, proposed amount), decision (amount, votes, letter),
    # closing after the instalments: the subsidy pages. Documents are asked for anywhere.
    DomainInstruction(
        domain="associations",
        procedure_slug=SUBSIDY_PROCEDURE_SLUG,
        generic_transitions=frozenset({"ask_documents", "send_documents"}),
    ),
]
