"""Set-based invitations: one transaction per batch, one mail per invitation really created."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext

from insigne.claims import mails, services
from insigne.claims.models import Invitation, InvitationLink
from insigne.claims.tokens import hash_token
from insigne.mail import services as mail_services
from insigne.mail.models import MailPriority, OutgoingMail
from insigne.missions.models import Mission
from tests.personas import make_mission

pytestmark = pytest.mark.django_db


def missions(count: int) -> list[Mission]:
    return [make_mission(f"M-BULK-{n:03d}", email=f"v{n}@example.org") for n in range(count)]


def test_each_mission_gets_one_invitation_one_link_and_one_bulk_mail(badge_class) -> None:
    made = missions(5)
    assert services.invite_missions(Mission.objects.all()) == 5
    for mission in made:
        invitation = Invitation.objects.get(mission=mission)
        [mail] = OutgoingMail.objects.filter(related_key=f"invitation:{invitation.pk}")
        assert (mail.kind, mail.to, mail.priority) == (
            "invitation",
            mission.email,
            MailPriority.BULK,
        )
        token = (
            next(w for w in mail.text_body.split() if "/obtenir/" in w).rstrip("/").split("/")[-1]
        )
        assert InvitationLink.objects.get(token_hash=hash_token(token)).invitation == invitation
    assert services.invite_missions(Mission.objects.all()) == 0
    assert OutgoingMail.objects.count() == 5


def test_a_batch_mail_is_the_mail_rendered_alone(badge_class) -> None:
    mission = missions(1)[0]
    invitation = Invitation.objects.create(mission=mission)
    [batch] = mails.invitation_mails([(mission, "jeton-exemple")])
    assert batch == mails.invitation_mail(invitation, "jeton-exemple")
    assert mission.given_name in batch.text and "jeton-exemple" in batch.html


HOSTILE = [
    {"given_name": "<script>alert(1)</script>", "family_name": 'O\'Brien & "fils"'},
    {"given_name": "Zoé 👩🏽‍🚀", "family_name": "محمد", "host_name": "Les Restos & Cie <Lyon>"},
    {"given_name": "Léa", "family_name": "Dupont", "host_name": ""},  # empty: rendered in full
    {"given_name": "Noé", "family_name": "Martin", "actual_end_date": dt.date(2026, 2, 28)},
]


def test_every_mail_of_a_batch_is_the_mail_rendered_alone_whatever_the_names(badge_class, caplog):
    made = [make_mission(f"M-HOSTILE-{n}", **overrides) for n, overrides in enumerate(HOSTILE * 3)]
    pairs = [(mission, f"jeton-{n}") for n, mission in enumerate(made)]
    batch = mails.invitation_mails(pairs)
    for (mission, token), mail in zip(pairs, batch, strict=True):
        alone = mails.invitation_mail(Invitation(mission=mission), token)
        assert mail == alone
    assert "&lt;script&gt;" in batch[0].html and "<script>" in batch[0].text
    assert "28 février 2026" in batch[3].text
    assert "rendered in full" not in caplog.text  # the skeleton was used


def test_a_template_that_filters_a_varying_value_is_rendered_in_full(monkeypatch, caplog):
    engine = engines["django"]
    templates = {
        "lot.txt": engine.from_string(
            "{% autoescape off %}{{ name|upper }} {{ url }}{% endautoescape %}"
        ),
        "lot.html": engine.from_string(
            "<p>{{ name }} <a href='{{ url }}'>{% if name %}x{% endif %}</a>"
        ),
    }
    monkeypatch.setattr(mail_services, "get_template", templates.__getitem__)
    contexts = [{"name": "Zoé & Cie", "url": "https://a/1"}, {"name": "léa", "url": "https://a/2"}]
    rendered = mail_services.render_mails("lot", contexts, varying=("name", "url"))
    assert rendered == [
        ("ZOÉ & CIE https://a/1\n", "<p>Zoé &amp; Cie <a href='https://a/1'>x</a>"),
        ("LÉA https://a/2\n", "<p>léa <a href='https://a/2'>x</a>"),
    ]
    assert "rendered in full" in caplog.text


def test_the_limit_is_respected_and_the_next_run_goes_on(badge_class, monkeypatch) -> None:
    monkeypatch.setattr(services, "INVITE_BATCH", 3)
    missions(8)
    assert services.invite_missions(Mission.objects.all(), limit=5) == 5
    assert services.invite_missions(Mission.objects.all(), limit=5) == 3
    invited = Invitation.objects.order_by("mission_id").values_list("mission_id", flat=True)
    assert list(invited) == sorted(Mission.objects.values_list("pk", flat=True))


def test_missions_already_invited_are_skipped_and_get_no_second_mail(badge_class) -> None:
    made = missions(4)
    Invitation.objects.create(mission=made[1])  # invited meanwhile by another run
    inserted = services._insert_invitations([m.pk for m in made], made[0].created_at)
    assert [mission_id for _pk, mission_id in inserted] == [made[0].pk, made[2].pk, made[3].pk]
    assert services.invite_missions(Mission.objects.all()) == 0  # the rows above are there
    assert services.invite_mission(made[1].pk) is False


def test_a_batch_costs_a_fixed_number_of_queries_whatever_its_size(badge_class) -> None:
    missions(30)
    with CaptureQueriesContext(connection) as queries:
        assert services.invite_missions(Mission.objects.all()) == 30
    # read the ids, insert invitations, read missions, insert links, insert mails, end of walk
    # (SQLite's bulk_create may split a statement; savepoints and BEGIN/COMMIT aside; on
    # PostgreSQL each walk's query is planned under settings set and set back: two more)
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    settings = [s for s in sql if "set_config(" in s]
    assert len(settings) == (4 if connection.vendor == "postgresql" else 0), settings
    assert len(sql) - len(settings) <= 8, sql


def test_a_failure_inside_a_batch_leaves_nothing(badge_class, monkeypatch) -> None:
    missions(3)

    def broken(pairs):  # type: ignore[no-untyped-def]
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(mails, "invitation_mails", broken)
    with pytest.raises(RuntimeError):
        services.invite_missions(Mission.objects.all())
    assert not Invitation.objects.exists() and not InvitationLink.objects.exists()
    assert not OutgoingMail.objects.exists()
