import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from guichet.accounts.models import User
from guichet.interventions.models import WorkOrder


def work_orders_for_agent(*, agent: User) -> QuerySet[WorkOrder]:
    """The work orders of the agent's services (an authority's administrator sees all)."""
    orders = WorkOrder.objects.filter(authority_id=agent.authority_id).select_related(
        "service", "assignee"
    )
    if not agent.is_authority_admin:
        orders = orders.filter(Q(service__memberships__user=agent) | Q(assignee=agent)).distinct()
    return orders


def work_order_get_for_agent(*, agent: User, work_order_id: int) -> WorkOrder:
    try:
        return work_orders_for_agent(agent=agent).get(pk=work_order_id)
    except WorkOrder.DoesNotExist as error:
        raise Http404 from error


def work_orders_of_the_day(*, agent: User, day: datetime.date) -> QuerySet[WorkOrder]:
    """The field view: assigned to the agent, not done, planned for today or before (late)."""
    return (
        WorkOrder.objects.filter(authority_id=agent.authority_id, assignee=agent)
        .exclude(status=WorkOrder.Status.DONE)
        .filter(Q(planned_date__lte=day) | Q(planned_date=None))
        .select_related("service")
        .order_by("planned_date", "id")
    )
