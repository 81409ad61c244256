"""Where the back office instructs a case whose domain owns its procedure
(`guichet.engine.instruction`): the generic case page links there instead of offering
the domain's steps."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from guichet.associations import selectors as associations
from guichet.engine.models import Case
from guichet.individuals import selectors as individuals
from guichet.individuals.social_aid import AID_PROCEDURE
from guichet.real_estate import selectors as real_estate


@dataclass(frozen=True, slots=True)
class DomainPage:
    label: str
    url: str


def _subsidy(case: Case) -> DomainPage | None:
    application = associations.application_of_case(case=case)
    if application is None:
        return None
    url = reverse("backoffice:associations_application", args=[application.pk])
    return DomainPage(_("Instruction de la subvention"), url)


def _civil_status(case: Case) -> DomainPage | None:
    url = reverse("backoffice:individuals_civil_status_case", args=[case.pk])
    return DomainPage(_("Traitement de la demande d'acte"), url)


def _social_aid(case: Case) -> DomainPage | None:
    application = individuals.aid_application_of_case(case=case)
    if application is None:
        return None
    url = reverse("backoffice:individuals_aid_case", args=[application.pk])
    return DomainPage(_("Instruction de l'aide sociale"), url)


def _works_request(case: Case) -> DomainPage | None:
    operation = real_estate.operation_of_request(case=case)
    if operation is not None:
        url = reverse("backoffice:real_estate_operation", args=[operation.pk])
        return DomainPage(_("Opération immobilière"), url)
    if case.is_closed:
        return None
    url = reverse("backoffice:real_estate_operation_from_request", args=[case.pk])
    return DomainPage(_("Créer l'opération de la demande"), url)


# By procedure slug, like `guichet.engine.instruction.instructions()` (a test keeps both alike).
PAGES: dict[str, Callable[[Case], DomainPage | None]] = {
    associations.SUBSIDY_PROCEDURE_SLUG: _subsidy,
    individuals.CIVIL_STATUS_PROCEDURE: _civil_status,
    AID_PROCEDURE: _social_aid,
    real_estate.WORKS_REQUEST_SLUG: _works_request,
}


def domain_page_of(*, case: Case) -> DomainPage | None:
    page = PAGES.get(case.procedure.slug)
    return page(case) if page is not None else None
