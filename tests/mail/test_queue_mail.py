from django.core import mail as django_mail
from django.db import transaction

from insigne.mail.models import MailPriority, MailStatus, OutgoingAttachment, OutgoingMail
from insigne.mail.services import QueuedMail, queue_mail, queue_mails

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


def test_a_batch_keeps_each_mail_and_its_attachments_byte_for_byte(db, settings):
    """``queue_mails`` writes by ``COPY`` on PostgreSQL: every byte value, quotes, line
    breaks and backslashes come back as given, each attachment with its own mail."""
    settings.MAIL_SENT_BY_WORKERS = True
    every_byte = bytes(range(256)) * 3
    batch = [
        QueuedMail(
            kind="badge",
            to="camille.demo@exemple.test",
            subject="Votre Open Badge « Service Civique »",
            text="Bonjour Camille,\n\tvoici C:\\badge.png",
            html="<p>Bonjour l'équipe</p>",
            related_key="credential:1",
            priority=MailPriority.REPLY,
            attachments=(
                ("badge.png", every_byte, "image/png"),
                ("badge.svg", b"<svg/>", "image/svg+xml"),
            ),
        ),
        QueuedMail(kind="invitation", to="noah@exemple.test", subject="Invitation", text="Bonjour"),
    ]
    ids = queue_mails(batch)
    assert len(set(ids)) == 2
    for mail_id, queued in zip(ids, batch, strict=True):
        stored = OutgoingMail.objects.get(pk=mail_id)
        assert (stored.kind, stored.to, stored.subject, stored.text_body, stored.html_body) == (
            queued.kind,
            queued.to,
            queued.subject,
            queued.text,
            queued.html,
        )
        assert (stored.related_key, stored.priority) == (queued.related_key, queued.priority)
        assert stored.status == MailStatus.PENDING and stored.created_at is not None
        attached = OutgoingAttachment.objects.filter(mail_id=mail_id)
        assert [(a.filename, bytes(a.content), a.mimetype) for a in attached] == list(
            queued.attachments
        )
