import threading

import pytest
from django.core import mail as django_mail
from django.db import connection

from insigne.mail.models import MailStatus, OutgoingMail
from insigne.mail.tasks import send_outgoing_mail


def make_mails(count: int) -> list[int]:
    return [
        OutgoingMail.objects.create(
            kind="badge", to=f"volontaire{n}@exemple.test", subject="Votre badge", text_body="…"
        ).pk
        for n in range(count)
    ]


def run_workers(workers: int, mail_ids: list[int]) -> list[str]:
    """Each thread is a worker with its own connection, all starting at the same instant."""
    start = threading.Barrier(workers)
    outcomes: list[str] = []

    def worker() -> None:
        try:
            start.wait()
            outcomes.extend(send_outgoing_mail.call(mail_id) for mail_id in mail_ids)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_mail_send_it_once():
    [mail_id] = make_mails(1)

    outcomes = run_workers(2, [mail_id])

    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(django_mail.outbox) == 1
    assert OutgoingMail.objects.get(pk=mail_id).attempts == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locking of PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_eight_workers_on_postgresql_send_each_mail_once():
    mail_ids = make_mails(25)

    outcomes = run_workers(8, mail_ids)

    assert outcomes.count("sent") == 25
    assert outcomes.count("skipped") == 7 * 25
    assert sorted(m.to[0] for m in django_mail.outbox) == sorted(
        f"volontaire{n}@exemple.test" for n in range(25)
    )
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {(MailStatus.SENT, 1)}
