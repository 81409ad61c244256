from typing import Any

from django.db import transaction
from django.template.loader import render_to_string

from guichet.notifications.models import OutgoingEmail
from guichet.notifications.tasks import email_deliver
from guichet.tenants.models import Authority


def email_queue(
    *,
    authority: Authority,
    to: str,
    template: str,
    context: dict[str, Any],
    case_id: int | None = None,
    attachment_path: str = "",
) -> OutgoingEmail | None:
    """Renders `notifications/email/<template>.txt` (first line: the subject) and sends it
    after the surrounding transaction commits."""
    if not to:
        return None
    rendered = render_to_string(
        f"notifications/email/{template}.txt", {"authority": authority, **context}
    ).strip()
    subject, _, body = rendered.partition("\n")
    email = OutgoingEmail.objects.create(
        authority=authority,
        to=to,
        subject=subject.strip(),
        body=body.strip() + "\n",
        case_id=case_id,
        attachment_path=attachment_path,
    )
    transaction.on_commit(lambda: email_deliver.enqueue(email_id=email.pk))
    return email
