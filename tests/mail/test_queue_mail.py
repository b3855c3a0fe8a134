from django.core import mail as django_mail
from django.db import transaction

from insigne.mail.models import MailStatus, OutgoingMail
from insigne.mail.services import queue_mail

PNG = b"\x89PNG\r\n\x1a\n-demo-"


def queue_one(**overrides: object) -> OutgoingMail:
    fields: dict = {
        "kind": "invitation",
        "to": "camille.demo@exemple.test",
        "subject": "Votre Open Badge",
        "text": "Bonjour Camille",
        "html": "<p>Bonjour Camille</p>",
        "attachments": [("badge.png", PNG, "image/png")],
        "related_key": "invitation:12",
    }
    return queue_mail(**(fields | overrides))


def test_it_sends_nothing_before_commit_and_once_after(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            queued = queue_one()
        assert django_mail.outbox == []  # committed, callbacks not run yet
    assert len(callbacks) == 1
    assert len(django_mail.outbox) == 1
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT
    assert queued.attempts == 1
    assert queued.sent_at is not None


def test_it_sends_nothing_when_the_transaction_rolls_back(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                queue_one()
                raise RuntimeError("the service failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert django_mail.outbox == []
    assert OutgoingMail.objects.count() == 0


def test_the_message_has_text_html_and_attachments(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_one()
    [message] = django_mail.outbox
    assert message.to == ["camille.demo@exemple.test"]
    assert message.body == "Bonjour Camille"
    assert message.alternatives[0][0] == "<p>Bonjour Camille</p>"
    assert message.attachments[0][0] == "badge.png"
    assert message.attachments[0][1] == PNG
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_it_tells_the_owner_which_object_the_mail_is_about(db):
    queued = OutgoingMail(related_key="invitation:12")
    assert queued.related_id("invitation") == 12
    assert queued.related_id("credential") is None
