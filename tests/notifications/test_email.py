from django.core import mail
from django.db import transaction

from guichet.notifications.models import OutgoingEmail
from guichet.notifications.services import email_queue
from guichet.notifications.tasks import email_deliver


def _queue(city, to="camille@example.fr"):
    return email_queue(
        authority=city,
        to=to,
        template="magic_link",
        context={"url": "http://ville-a.localhost/l/u/t/"},
    )


def test_email_queue__renders_subject_and_body_and_sends_after_commit(
    city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = _queue(city)
        assert mail.outbox == []

    assert len(callbacks) == 1
    email.refresh_from_db()
    assert email.subject == "[Ville A] Votre lien de connexion"
    assert "http://ville-a.localhost/l/u/t/" in email.body
    assert email.sent_at is not None
    [sent] = mail.outbox
    assert (sent.to, sent.subject) == (["camille@example.fr"], email.subject)


def test_email_queue__without_recipient_writes_nothing(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = _queue(city, to="")

    assert result is None
    assert callbacks == []
    assert OutgoingEmail.objects.count() == 0


def test_email_queue__rolled_back_transaction_sends_nothing(
    city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _queue(city)
                raise RuntimeError("the cause failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert OutgoingEmail.objects.count() == 0
    assert mail.outbox == []


def test_email_deliver__replayed_sends_once(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(city)

    replay = email_deliver.call(email_id=email.pk)

    assert replay is False
    assert len(mail.outbox) == 1


def test_email_deliver__unknown_email_does_nothing(db):
    assert email_deliver.call(email_id=999_999) is False
    assert mail.outbox == []
