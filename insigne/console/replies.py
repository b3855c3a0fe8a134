"""Ready-to-copy French replies for the support mailbox's common cases, filled in.

Each reply is written from the volunteer's record (names, dates, host, address)
so the agent pastes it as it is. They are French only: the volunteer wrote in
French to a French public service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone

from insigne.claims.issuing import months_between
from insigne.claims.models import Invitation
from insigne.missions.models import Mission


@dataclass(frozen=True)
class Reply:
    key: str
    title: str
    text: str


def _date(value: dt.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else "…"


def replies(mission: Mission, invitation: Invitation | None) -> list[Reply]:
    names = f"{mission.given_name} {mission.family_name}".strip()
    end = mission.actual_end_date or mission.planned_end_date
    months = months_between(mission.start_date, end) if end >= mission.start_date else 0
    resend_url = f"{settings.SITE_URL}{reverse('resend')}"
    sender = settings.DEFAULT_FROM_EMAIL
    sign = "\n\nBien cordialement,\nLe support Open Badge de l'Agence du Service Civique"
    mission_words = (
        f"votre mission auprès de {mission.host_name} "
        f"(du {_date(mission.start_date)} au {_date(mission.actual_end_date)})"
    )
    declined = invitation.declined_at if invitation is not None else None
    return [
        Reply(
            "under_six_months",
            "Mission de moins de six mois",
            f"Bonjour {names},\n\nD'après nos registres, {mission_words} a duré {months} mois. "
            "L'Open Badge Service Civique est réservé aux missions d'au moins six mois "
            "effectués. Si ces dates sont inexactes, répondez-nous avec vos dates réelles de "
            "mission : nous les ferons corriger auprès de votre organisme d'accueil." + sign,
        ),
        Reply(
            "spam",
            "Courriel dans les indésirables",
            f"Bonjour {names},\n\nNous venons de vous renvoyer le courriel concernant "
            f"{mission_words} à l'adresse {mission.email}. Il est envoyé par {sender} : "
            "s'il n'est pas dans votre boîte de réception, regardez dans le dossier "
            "« Courriers indésirables » ou « Spam », et ajoutez cette adresse à vos contacts. "
            f"Vous pouvez aussi le demander à nouveau vous-même sur {resend_url}" + sign,
        ),
        Reply(
            "address_changed",
            "Adresse électronique changée",
            f"Bonjour {names},\n\nNous avons enregistré votre nouvelle adresse, "
            f"{mission.email}, pour {mission_words}, et vous y avons renvoyé le courriel. "
            "Les liens reçus à l'ancienne adresse restent valables." + sign,
        ),
        Reply(
            "declined",
            "Badge refusé puis redemandé",
            f"Bonjour {names},\n\nVous aviez refusé le badge de {mission_words}"
            + (f" le {_date(timezone.localdate(declined))}" if declined else "")
            + ". Nous avons rouvert votre demande et vous avons envoyé un nouveau lien "
            f"personnel à {mission.email} : ouvrez-le pour vérifier vos informations et "
            "valider votre badge." + sign,
        ),
    ]
