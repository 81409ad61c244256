import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.associations.models import LoanableItem, LoanRequest
from guichet.notifications.models import OutgoingEmail


@pytest.fixture
def chairs(city):
    return LoanableItem.objects.create(
        authority=city, name="Chaises", kind="equipment", quantity=50
    )


def test_loan__requested_by_a_representative_then_approved_by_an_agent(
    client, treasurer_client, organisation, chairs, instructor, treasurer
):
    start = timezone.localdate() + datetime.timedelta(days=10)
    url = reverse("frontoffice:associations_loan", args=[organisation.pk])

    too_many = treasurer_client.post(
        url,
        {
            "item": chairs.pk,
            "quantity": "51",
            "starts_on": start.isoformat(),
            "ends_on": start.isoformat(),
            "purpose": "Fête",
        },
    )
    asked = treasurer_client.post(
        url,
        {
            "item": chairs.pk,
            "quantity": "40",
            "starts_on": start.isoformat(),
            "ends_on": start.isoformat(),
            "purpose": "Fête",
        },
    )

    assert too_many.status_code == 422
    assert "Quantité disponible : 50 au plus." in too_many.content.decode()
    assert asked.status_code == 302
    loan = LoanRequest.objects.get()
    client.defaults["HTTP_HOST"] = "ville-a.localhost"
    client.force_login(instructor)
    assert client.get(reverse("backoffice:associations_loans")).status_code == 200
    client.post(
        reverse("backoffice:associations_loan_decide", args=[loan.pk]),
        {"decision": "approve", "comment": "Retrait au centre technique."},
    )

    loan.refresh_from_db()
    assert (loan.status, loan.decided_by, loan.comment) == (
        "approved",
        instructor,
        "Retrait au centre technique.",
    )
    assert (
        OutgoingEmail.objects.filter(to=treasurer.email, subject__contains="accordé").count() == 1
    )
