from django.contrib.auth import get_user_model
from django.urls import reverse

from insigne.mail.models import OutgoingMail


def test_staff_see_where_each_mail_stands_without_its_body(db, client):
    admin = get_user_model().objects.create_superuser("staff", "staff@exemple.test", "pw")
    mail = OutgoingMail.objects.create(
        kind="badge", to="lou.demo@exemple.test", subject="Votre badge", text_body="SECRET-LINK"
    )
    client.force_login(admin)

    listing = client.get(reverse("admin:mail_outgoingmail_changelist"))
    detail = client.get(reverse("admin:mail_outgoingmail_change", args=[mail.pk]))

    assert listing.status_code == detail.status_code == 200
    assert b"SECRET-LINK" not in detail.content
