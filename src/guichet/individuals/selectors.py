"""Reads of the individuals' domain. Every query is scoped to the authority."""

import datetime
from typing import Any

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.engine.models import Case, Procedure
from guichet.engine.selectors import case_get_for_agent, cases_visible_to_agent
from guichet.individuals.civil_status import AccessDecision, certificate_access
from guichet.individuals.models import (
    Activity,
    AidApplication,
    AidInstalment,
    Attendance,
    Child,
    CivilStatusRequest,
    Creche,
    CrecheRequest,
    Enrolment,
    Household,
    Invoice,
    Session,
)
from guichet.tenants.models import Authority

CIVIL_STATUS_PROCEDURE = "acte-etat-civil"


def procedure_by_slug(*, authority: Authority, slug: str) -> Procedure:
    procedure = Procedure.objects.filter(authority=authority, slug=slug).first()
    if procedure is None:
        raise Http404
    return procedure


def civil_status_request_for(*, case: Case) -> CivilStatusRequest:
    """The structured request of a civil-status case; for a case filed through the generic
    form (or at the counter), built from its answers without being saved."""
    found = CivilStatusRequest.objects.filter(authority_id=case.authority_id, case=case).first()
    if found is not None:
        return found
    data: dict[str, Any] = case.data
    try:
        event_date = datetime.date.fromisoformat(str(data.get("event_date", "")))
    except ValueError:
        event_date = None
    return CivilStatusRequest(
        authority_id=case.authority_id,
        case=case,
        act_type=data.get("act_type", ""),
        copy_kind=data.get("copy_kind", ""),
        relationship=data.get("relationship") or "other",
        person_last_name=data.get("last_name", ""),
        person_first_names=data.get("first_name", ""),
        event_date=event_date,  # type: ignore[misc]
        event_place=data.get("event_place", ""),
        parents=data.get("parents", ""),
        requester_name=case.person_name,
        requester_email=case.person_email,
        delivery_address=data.get("address", ""),
        copies=int(data.get("copies") or 1),
    )


def civil_status_access(*, request: CivilStatusRequest, today: datetime.date) -> AccessDecision:
    return certificate_access(
        act_type=request.act_type,
        copy_kind=request.copy_kind,
        relationship=request.relationship,
        event_date=request.event_date,
        today=today,
    )


def civil_status_cases_for_agent(*, agent: User) -> list[Case]:
    return list(
        cases_visible_to_agent(agent=agent)
        .filter(procedure__slug=CIVIL_STATUS_PROCEDURE, closed_at__isnull=True)
        .order_by("submitted_at")[:200]
    )


def civil_status_case_for_agent(*, agent: User, case_id: int) -> Case:
    case = case_get_for_agent(agent=agent, case_id=case_id)
    if case.procedure.slug != CIVIL_STATUS_PROCEDURE:
        raise Http404
    return case


# --- School ---------------------------------------------------------------------------------


def household_of(*, user: User, authority: Authority) -> Household | None:
    if not user.is_authenticated or user.authority_id != authority.pk:
        return None
    return user.households.filter(authority=authority).first()


def child_get_for_household(*, household: Household, child_id: int) -> Child:
    child = (
        Child.objects.filter(authority_id=household.authority_id, household=household, pk=child_id)
        .select_related("household", "authority")
        .first()
    )
    if child is None:
        raise Http404
    return child


def sessions_open(*, authority: Authority, today: datetime.date) -> list[Session]:
    sessions = list(
        Session.objects.filter(authority=authority, ends_on__gte=today)
        .select_related("activity")
        .annotate(
            confirmed=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.CONFIRMED))
        )
        .order_by("starts_on", "id")
    )
    for session in sessions:
        session.places_left = max(session.capacity - session.confirmed, 0)  # type: ignore[attr-defined]
    return sessions


def session_get(*, authority: Authority, session_id: int) -> Session:
    session = Session.objects.filter(authority=authority, pk=session_id).first()
    if session is None:
        raise Http404
    return session


def invoices_of_household(*, household: Household) -> list[Invoice]:
    return list(
        Invoice.objects.filter(authority_id=household.authority_id, household=household)
        .select_related("regie")
        .order_by("-month")
    )


def invoice_get_for_household(*, household: Household, invoice_id: int) -> Invoice:
    invoice = (
        Invoice.objects.filter(
            authority_id=household.authority_id, household=household, pk=invoice_id
        )
        .select_related("regie", "household", "authority")
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


def invoices_for_regie(*, authority: Authority, state: str = "") -> list[Invoice]:
    invoices = Invoice.objects.filter(authority=authority).select_related("household", "regie")
    if state == "paid":
        invoices = invoices.filter(paid_at__isnull=False)
    elif state == "unpaid":
        invoices = invoices.filter(paid_at__isnull=True)
    return list(invoices.order_by("-month", "number"))


def enrolments_of_household(*, household: Household) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(authority_id=household.authority_id, child__household=household)
        .exclude(status=Enrolment.Status.CANCELLED)
        .select_related("child", "activity", "session")
    )


# --- Social aid -----------------------------------------------------------------------------


def aid_applications_of(*, user: User, authority: Authority) -> list[AidApplication]:
    if not user.is_authenticated or user.authority_id != authority.pk:
        return []
    return list(
        AidApplication.objects.filter(authority=authority, case__applicant=user)
        .select_related("case", "case__version")
        .order_by("-id")
    )


def aid_application_for_beneficiary(
    *, user: User, authority: Authority, application_id: int
) -> AidApplication:
    if not user.is_authenticated or user.authority_id != authority.pk:
        raise Http404
    application = (
        AidApplication.objects.filter(authority=authority, pk=application_id, case__applicant=user)
        .select_related("case", "case__version", "case__procedure", "letter")
        .first()
    )
    if application is None:
        raise Http404
    return application


def aid_applications_for_agent(*, agent: User) -> list[AidApplication]:
    cases = cases_visible_to_agent(agent=agent).filter(procedure__slug="aide-sociale")
    return list(
        AidApplication.objects.filter(authority_id=agent.authority_id, case__in=cases)
        .select_related("case", "case__version", "case__applicant")
        .order_by("-id")[:200]
    )


def aid_application_for_agent(*, agent: User, application_id: int) -> AidApplication:
    application = (
        AidApplication.objects.filter(authority_id=agent.authority_id, pk=application_id)
        .select_related("case")
        .first()
    )
    if application is None:
        raise Http404
    case_get_for_agent(agent=agent, case_id=application.case_id)  # 404 outside their services
    return application


def aid_application_of_case(*, case: Case) -> AidApplication | None:
    return AidApplication.objects.filter(authority_id=case.authority_id, case=case).first()


def aid_next_step(*, application: AidApplication) -> str:
    """What happens next, in words for the beneficiary."""
    status = application.case.status
    if status == "waiting_documents" or (
        status == "submitted" and application.documents.filter(attachment__isnull=True).exists()
    ):
        return str(_("Envoyez les pièces demandées ci-dessous."))
    if status == "submitted":
        return str(_("Le service examine votre demande et va fixer un rendez-vous d'évaluation."))
    if status == "assessment":
        return str(_("Après le rendez-vous d'évaluation, le service prendra sa décision."))
    if status == "accepted":
        return str(_("L'aide est accordée : les versements suivent l'échéancier."))
    return str(_("La demande est close. Vous pouvez contester la décision dans les deux mois."))


def aid_upcoming_instalments(
    *, application: AidApplication, today: datetime.date, count: int = 3
) -> list[AidInstalment]:
    return list(application.instalments.filter(due_date__gte=today).order_by("due_date")[:count])


SCHOOL_SERVICE = "enfance"


def school_agent_check(*, agent: User) -> None:
    """School pages are for the authority's administrators and the agents of its childhood
    service ("enfance"); anyone else gets a 404."""
    if agent.is_authority_admin:
        return
    if not agent.memberships.filter(
        authority_id=agent.authority_id, service__slug=SCHOOL_SERVICE
    ).exists():
        raise Http404


def activities_of(*, authority: Authority) -> list[Activity]:
    return list(Activity.objects.filter(authority=authority).order_by("name"))


def activity_get(*, authority: Authority, activity_id: int) -> Activity:
    activity = Activity.objects.filter(authority=authority, pk=activity_id).first()
    if activity is None:
        raise Http404
    return activity


def roll_call(*, activity: Activity, date: datetime.date) -> list[tuple[Enrolment, bool | None]]:
    """The children expected on that day (their weekdays, or the session's dates), with the
    attendance already taken."""
    enrolments = Enrolment.objects.filter(
        authority_id=activity.authority_id, activity=activity, status=Enrolment.Status.CONFIRMED
    ).select_related("child", "session")
    taken = dict(
        Attendance.objects.filter(
            authority_id=activity.authority_id, enrolment__activity=activity, date=date
        ).values_list("enrolment_id", "is_present")
    )
    expected = []
    for enrolment in enrolments:
        if enrolment.session is not None:
            is_expected = enrolment.session.starts_on <= date <= enrolment.session.ends_on
        else:
            is_expected = date.weekday() in enrolment.weekdays
        if is_expected:
            expected.append((enrolment, taken.get(enrolment.pk)))
    return sorted(expected, key=lambda row: (row[0].child.last_name, row[0].child.first_name))


def households_of(*, authority: Authority) -> list[Household]:
    return list(Household.objects.filter(authority=authority).order_by("name"))


def household_get(*, authority: Authority, household_id: int) -> Household:
    household = Household.objects.filter(authority=authority, pk=household_id).first()
    if household is None:
        raise Http404
    return household


def creche_requests_of(*, household: Household) -> list[CrecheRequest]:
    return list(
        CrecheRequest.objects.filter(authority_id=household.authority_id, household=household)
        .select_related("child", "creche")
        .order_by("-created_at")
    )


def creche_request_for_household(*, household: Household, request_id: int) -> CrecheRequest:
    found = CrecheRequest.objects.filter(
        authority_id=household.authority_id, household=household, pk=request_id
    ).first()
    if found is None:
        raise Http404
    return found


def creche_waiting_list(*, authority: Authority) -> list[CrecheRequest]:
    return list(
        CrecheRequest.objects.filter(authority=authority, status=CrecheRequest.Status.WAITING)
        .select_related("child", "household")
        .order_by("-priority", "created_at", "id")
    )


def creche_request_get(*, authority: Authority, request_id: int) -> CrecheRequest:
    found = CrecheRequest.objects.filter(authority=authority, pk=request_id).first()
    if found is None:
        raise Http404
    return found


def creches_with_places(*, authority: Authority) -> list[Creche]:
    creches = list(
        Creche.objects.filter(authority=authority).annotate(
            taken=Count(
                "crecherequest", filter=Q(crecherequest__status__in=["offered", "accepted"])
            )
        )
    )
    for creche in creches:
        creche.places_left = max(creche.capacity - creche.taken, 0)  # type: ignore[attr-defined]
    return creches


def creche_get(*, authority: Authority, creche_id: int) -> Creche:
    found = Creche.objects.filter(authority=authority, pk=creche_id).first()
    if found is None:
        raise Http404
    return found
