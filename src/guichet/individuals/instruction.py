"""The procedures this domain instructs on its own pages (see `guichet.engine.instruction`)."""

from guichet.engine.instruction import DomainInstruction
from guichet.individuals.selectors import CIVIL_STATUS_PROCEDURE
from guichet.individuals.social_aid import AID_PROCEDURE

INSTRUCTIONS = [
    # Issuing or refusing a certificate checks who may obtain which copy (a legal rule):
    # the civil-status page. Taking the case and asking for documents stay generic.
    DomainInstruction(
        domain="individuals",
        procedure_slug=CIVIL_STATUS_PROCEDURE,
        generic_transitions=frozenset({"take", "ask_documents", "send_documents"}),
    ),
    # The assessment appointment, the decision (GIR, monthly amount, instalments, letter)
    # and the refusal: the social aid page.
    DomainInstruction(
        domain="individuals",
        procedure_slug=AID_PROCEDURE,
        generic_transitions=frozenset({"ask_documents", "send_documents"}),
    ),
]
