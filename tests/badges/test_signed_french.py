"""The French that gets signed, word for word, for host names and dates of every kind.

Thousands of badges are signed for good with these sentences: the description made
from the programme's template and the evidence narrative. The host's name is typed
by the volunteer (with or without an article, starting with a vowel, all in capitals),
so no preposition may be glued to it; the first of a month is "1er".
"""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from insigne.badges import programme
from insigne.claims.issuing import claim_facts
from insigne.claims.models import Invitation
from insigne.mail.services import render_mail
from insigne.missions.models import Domain
from insigne.openbadges.ob3 import build_credential, french_date
from tests.personas import make_mission

pytestmark = pytest.mark.django_db

ISSUED_AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
TAIL = (
    "Par cet engagement volontaire au service de l'intérêt général, reconnu par l'Agence "
    "du Service Civique, Camille a mis en œuvre et développé les compétences décrites dans "
    "ce badge."
)

CASES = [
    pytest.param(
        {
            "host_name": "Les Restos du cœur",
            "start_date": dt.date(2025, 9, 1),
            "actual_end_date": dt.date(2026, 2, 28),
            "commune": "Le Havre",
            "title": "Aide alimentaire",
        },
        "Camille Démo a accompli une mission de Service Civique de 6 mois, « Aide alimentaire », "
        "du 1er septembre 2025 au 28 février 2026, auprès de la structure d'accueil « Les Restos "
        "du cœur », dans le domaine « Solidarité ».",
        "Mission de Service Civique « Aide alimentaire » accomplie du 1er septembre 2025 au 28 "
        "février 2026 auprès de la structure d'accueil « Les Restos du cœur » (Le Havre), dans "
        "le domaine « Solidarité ».",
        id="article-in-the-name-across-years",
    ),
    pytest.param(
        {
            "host_name": "Mairie de Lyon",
            "start_date": dt.date(2026, 1, 1),
            "actual_end_date": dt.date(2026, 6, 30),
            "domain": Domain.CULTURE,
            "title": "Médiation culturelle",
        },
        "Camille Démo a accompli une mission de Service Civique de 6 mois, « Médiation "
        "culturelle », du 1er janvier 2026 au 30 juin 2026, auprès de la structure d'accueil "
        "« Mairie de Lyon », dans le domaine « Culture et loisirs ».",
        "Mission de Service Civique « Médiation culturelle » accomplie du 1er janvier 2026 au 30 "
        "juin 2026 auprès de la structure d'accueil « Mairie de Lyon » (Lyon), dans le domaine "
        "« Culture et loisirs ».",
        id="mairie-first-of-january-end-of-june",
    ),
    pytest.param(
        {
            "host_name": "ASSOCIATION ÉDUCATION POUR TOUS",
            "start_date": dt.date(2025, 12, 1),
            "actual_end_date": dt.date(2026, 6, 1),
            "domain": Domain.EDUCATION,
            "commune": "",
            "title": "Soutien scolaire",
        },
        "Camille Démo a accompli une mission de Service Civique de 6 mois, « Soutien scolaire », "
        "du 1er décembre 2025 au 1er juin 2026, auprès de la structure d'accueil « ASSOCIATION "
        "ÉDUCATION POUR TOUS », dans le domaine « Éducation pour tous ».",
        "Mission de Service Civique « Soutien scolaire » accomplie du 1er décembre 2025 au 1er "
        "juin 2026 auprès de la structure d'accueil « ASSOCIATION ÉDUCATION POUR TOUS », dans le "
        "domaine « Éducation pour tous ».",
        id="all-caps-vowel-no-town-first-to-first",
    ),
    pytest.param(
        {
            "host_name": "Emmaüs France",
            "start_date": dt.date(2026, 3, 15),
            "actual_end_date": dt.date(2026, 11, 30),
            "domain": Domain.ENVIRONNEMENT,
            "commune": "Saint-Étienne",
            "title": "Réemploi",
        },
        "Camille Démo a accompli une mission de Service Civique de 8 mois, « Réemploi », du 15 "
        "mars 2026 au 30 novembre 2026, auprès de la structure d'accueil « Emmaüs France », dans "
        "le domaine « Environnement ».",
        "Mission de Service Civique « Réemploi » accomplie du 15 mars 2026 au 30 novembre 2026 "
        "auprès de la structure d'accueil « Emmaüs France » (Saint-Étienne), dans le domaine "
        "« Environnement ».",
        id="vowel-mid-month",
    ),
    pytest.param(
        {
            "host_name": "l'Arche en France",
            "start_date": dt.date(2025, 10, 31),
            "actual_end_date": dt.date(2026, 4, 30),
            "domain": Domain.SANTE,
            "title": "Vie partagée",
        },
        "Camille Démo a accompli une mission de Service Civique de 6 mois, « Vie partagée », du "
        "31 octobre 2025 au 30 avril 2026, auprès de la structure d'accueil « l'Arche en "
        "France », dans le domaine « Santé ».",
        "Mission de Service Civique « Vie partagée » accomplie du 31 octobre 2025 au 30 avril "
        "2026 auprès de la structure d'accueil « l'Arche en France » (Lyon), dans le domaine "
        "« Santé ».",
        id="elided-article-end-of-month",
    ),
]


def _signed_texts(mission_fields: dict[str, object]) -> tuple[str, str, str]:
    mission = make_mission(f"M-FR-{Invitation.objects.count()}", **mission_fields)
    invitation = Invitation.objects.create(mission=mission)
    facts = claim_facts(invitation, public_id="golden", issued_at=ISSUED_AT, salt="5a1t")
    credential = build_credential(facts)
    achievement = credential["credentialSubject"]["achievement"]
    (evidence,) = credential["evidence"]
    return achievement["description"], evidence["narrative"], evidence["name"]


@pytest.mark.parametrize(("mission_fields", "description", "narrative"), CASES)
def test_the_signed_sentences_read_right(mission_fields, description, narrative) -> None:
    programme.ensure_programme()  # the programme's own template, as migrated

    signed_description, signed_narrative, name = _signed_texts(mission_fields)

    assert signed_description == f"{description} {TAIL}"
    assert signed_narrative == narrative
    assert name == mission_fields["title"]


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 6, 1), "1er juin 2026"),
        (dt.date(2026, 6, 2), "2 juin 2026"),
        (dt.date(2026, 8, 31), "31 août 2026"),
        (dt.date(2027, 2, 28), "28 février 2027"),
        (dt.date(2028, 2, 29), "29 février 2028"),
        (dt.date(2026, 12, 1), "1er décembre 2026"),
    ],
)
def test_dates_are_written_the_french_way(day, text) -> None:
    assert french_date(day) == text


def test_the_migration_rewords_the_former_template_and_only_it() -> None:
    migration = importlib.import_module(
        "insigne.badges.migrations.0006_programme_description_wording"
    )
    badge_class, _ = programme.ensure_programme()
    editor = SimpleNamespace(connection=connection)
    assert migration.REWORDED == programme.DESCRIPTION

    badge_class.description_template = migration.FORMER
    badge_class.save()
    migration.reword(apps, editor)
    badge_class.refresh_from_db()
    assert badge_class.description_template == programme.DESCRIPTION

    migration.restore(apps, editor)
    badge_class.refresh_from_db()
    assert badge_class.description_template == migration.FORMER

    badge_class.description_template = "Texte revu par l'équipe : {host_name}."
    badge_class.save()
    migration.reword(apps, editor)
    badge_class.refresh_from_db()
    assert badge_class.description_template == "Texte revu par l'équipe : {host_name}."


def test_the_badge_mail_names_the_issuer_with_its_article() -> None:
    text, html = render_mail("claims/mail/badge", {"badge_url": "https://badges.example.test/b"})

    assert "signé par l'Agence du Service Civique." in text
    assert "signé par l&#x27;Agence du Service Civique." in html
