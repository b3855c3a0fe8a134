import datetime as dt

from django.core import mail as django_mail

from insigne.mail.models import MailStatus, OutgoingMail
from insigne.mail.services import requeue_overdue_mail

T0 = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)


def test_it_sends_again_mail_whose_task_was_lost(db, time_machine):
    time_machine.move_to(T0, tick=False)
    lost = OutgoingMail.objects.create(
        kind="badge", to="eden.essai@exemple.test", subject="B", text_body="…"
    )
    retry = OutgoingMail.objects.create(
        kind="badge",
        to="lou.demo@exemple.test",
        subject="B",
        text_body="…",
        status=MailStatus.FAILED_TEMPORARY,
        next_attempt_at=T0 + dt.timedelta(minutes=5),
    )
    time_machine.move_to(T0 + dt.timedelta(minutes=11), tick=False)
    fresh = OutgoingMail.objects.create(
        kind="badge", to="ali.test@exemple.test", subject="B", text_body="…"
    )

    assert requeue_overdue_mail() == 1  # the retry is due but not yet overdue, the fresh one waits

    lost.refresh_from_db()
    assert lost.status == MailStatus.SENT
    assert [m.to for m in django_mail.outbox] == [["eden.essai@exemple.test"]]
    time_machine.move_to(T0 + dt.timedelta(minutes=16), tick=False)
    assert requeue_overdue_mail() == 1
    retry.refresh_from_db()
    fresh.refresh_from_db()
    assert (retry.status, fresh.status) == (MailStatus.SENT, MailStatus.PENDING)
