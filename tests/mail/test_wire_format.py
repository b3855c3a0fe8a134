"""The queued mails as the relay receives them: our own serialisation, read back by the
standard library's parser and compared with what Django's would give."""

import email
from email.policy import default as default_policy

import pytest
from django.core.mail import BadHeaderError, get_connection

from insigne.mail.backends import OutgoingMessage, render
from insigne.mail.models import OutgoingMail
from insigne.mail.services import queue_mail
from insigne.mail.tasks import build_message, send_outgoing_mail

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
SUBJECT = "Votre Open Badge « Engagé·e » est prêt — félicitations, Éléonore !" * 2
TEXT = (
    "Bonjour Éléonore,\n\nLigne très longue : "
    + "é" * 400
    + "\n.\nUne ligne qui commence par un point.\n"
)
HTML = "<p>Bonjour <strong>Éléonore</strong>, =3D n'est pas un code.</p>\n" * 3


def parts(message):
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart()
    }


def test_a_badge_mail_arrives_whole_through_a_real_relay(smtp_server):
    mail = queue_mail(
        kind="badge",
        to="eleonore.exemple@exemple.test",
        subject=SUBJECT,
        text=TEXT,
        html=HTML,
        attachments=[
            ("badge-été.png", PNG, "image/png"),
            ("badge.json", b'{"a": 1}', "application/json"),
        ],
    )
    by_django = build_message(mail).message().as_bytes(linesep="\r\n")
    assert send_outgoing_mail.call(mail.pk) == "sent"
    [received] = smtp_server.wait_for(1)

    ours = parts(received)
    django = parts(email.message_from_bytes(by_django, policy=default_policy))
    assert ours == django
    assert ours["text/plain"].replace("\r\n", "\n") == TEXT
    assert ours["text/html"].replace("\r\n", "\n") == HTML
    assert ours["image/png"] == PNG
    assert received["Subject"] == SUBJECT
    assert received["Message-ID"] == mail.message_id
    assert received["Auto-Submitted"] == "auto-generated"
    assert received["To"] == "eleonore.exemple@exemple.test"
    filenames = [part.get_filename() for part in received.walk() if part.get_filename()]
    assert filenames == ["badge-été.png", "badge.json"]
    assert received.get_content_type() == "multipart/mixed"


def test_a_plain_invitation_is_one_text_part_in_seven_bits():
    message = OutgoingMessage(
        subject="Invitation",
        body="Bonjour\n",
        from_email="Agence <a@exemple.test>",
        to=["b@exemple.test"],
    )
    sender, recipients, data = render(message)
    assert (sender, recipients) == ("Agence <a@exemple.test>", ["b@exemple.test"])
    assert data.isascii() and b"\n" not in data.replace(b"\r\n", b"")
    parsed = email.message_from_bytes(data, policy=default_policy)
    assert parsed.get_content_type() == "text/plain" and parsed.get_content() == "Bonjour\r\n"


def test_an_address_with_a_name_or_accents_is_encoded_as_django_does():
    message = OutgoingMessage(
        subject="S",
        body="B",
        from_email="Agence Éducation <a@exemple.test>",
        to=["Zoé <zoe@exemple.test>"],
    )
    sender, recipients, data = render(message)
    assert sender == "=?utf-8?q?Agence_=C3=89ducation?= <a@exemple.test>"
    assert recipients == ["=?utf-8?q?Zo=C3=A9?= <zoe@exemple.test>"]


def test_a_header_with_a_newline_is_refused():
    message = OutgoingMessage(
        subject="S\r\nBcc: x@exemple.test",
        body="B",
        from_email="a@exemple.test",
        to=["b@exemple.test"],
    )
    with pytest.raises(BadHeaderError):
        render(message)


def test_a_mail_that_cannot_be_built_is_not_lost(smtp_server):
    mail = OutgoingMail.objects.create(
        kind="badge", to="b@exemple.test", subject="S\nX", text_body="B"
    )
    assert send_outgoing_mail.call(mail.pk) == "retry"
    assert smtp_server.messages == []
    get_connection().close()
