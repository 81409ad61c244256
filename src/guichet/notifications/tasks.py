import mimetypes

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from guichet.notifications.models import OutgoingEmail


@task()
def email_deliver(*, email_id: int) -> bool:
    """Sends one queued e-mail; a replay after success sends nothing."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.sent_at is not None:
            return False
        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
        )
        if email.attachment_path and default_storage.exists(email.attachment_path):
            with default_storage.open(email.attachment_path, "rb") as handle:
                name = email.attachment_path.rsplit("/", 1)[-1]
                kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
                message.attach(name, handle.read(), kind)
        message.send()
        email.sent_at = timezone.now()
        email.save(update_fields=["sent_at"])
    return True
