"""Content of the two mails of the journey: the invitation and the badge."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat, translation

from insigne.badges.models import Credential
from insigne.badges.presenter import baked_png, linkedin_url
from insigne.claims.models import Invitation
from insigne.mail.services import render_mail, render_mails
from insigne.missions import eligibility
from insigne.missions.models import Mission


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str
    html: str
    attachments: tuple[tuple[str, bytes, str], ...] = field(default=())


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


INVITATION_SUBJECT = "Votre Open Badge Service Civique vous attend"


def _invitation_context(
    mission: Mission, token: str, urls: tuple[str, str, str] | None = None
) -> dict[str, object]:
    claim_url, decline_url, resend_url = urls or _invitation_urls(token)
    return {
        "subject": INVITATION_SUBJECT,
        "given_name": mission.given_name,
        "family_name": mission.family_name,
        "host_name": mission.host_name,
        "end_date": _long_date(mission.actual_end_date),
        "claim_url": claim_url,
        "button_url": claim_url,
        "decline_url": decline_url,
        "resend_url": resend_url,
        "button_label": "Obtenir mon badge",
    }


# What differs from one invitation to the next: the rest of a batch's mails is rendered
# once (``render_mails``).
INVITATION_VARYING = (
    "given_name",
    "family_name",
    "host_name",
    "end_date",
    "claim_url",
    "button_url",
    "decline_url",
)


def _long_date(day: dt.date | None) -> str:
    """« 30 avril 2026 », in the active language, as ``|date:"j F Y"`` writes it."""
    return _formatted_date(day, translation.get_language()) if day else ""


@functools.lru_cache(maxsize=8192)  # the end dates of a backfill: a few thousand days
def _formatted_date(day: dt.date, language: str) -> str:
    return dateformat.format(day, "j F Y")


def _invitation_urls(token: str) -> tuple[str, str, str]:
    return (
        absolute(reverse("claim", args=[token])),
        absolute(reverse("claim_step", args=[token, "refuser"])),
        absolute(reverse("resend")),
    )


_TOKEN_MARK = "JETON"  # a token's place in the reversed URLs (tokens are URL-safe base64)


def _url_maker() -> Callable[[str], tuple[str, str, str]]:
    """The URLs of ``_invitation_urls`` for any token, from one ``reverse`` of each.

    Tokens are URL-safe (``[A-Za-z0-9_-]``), so a token in the path is the token
    as it is: the reversed URLs are cut around a mark once and joined per mail.
    """
    claim, decline, resend = _invitation_urls(_TOKEN_MARK)
    claim_head, claim_tail = claim.split(_TOKEN_MARK)
    decline_head, decline_tail = decline.split(_TOKEN_MARK)
    return lambda token: (
        claim_head + token + claim_tail,
        decline_head + token + decline_tail,
        resend,
    )


def invitation_mail(invitation: Invitation, token: str) -> Mail:
    with translation.override("fr"):
        text, html = render_mail(
            "claims/mail/invitation", _invitation_context(invitation.mission, token)
        )
    return Mail(subject=INVITATION_SUBJECT, text=text, html=html)


def invitation_mails(missions_and_tokens: list[tuple[Mission, str]]) -> list[Mail]:
    """The invitation mails of a batch, the same as ``invitation_mail`` gives one by one,
    from templates looked up once for the batch."""
    with translation.override("fr"):
        urls = _url_maker()
        rendered = render_mails(
            "claims/mail/invitation",
            [
                _invitation_context(mission, token, urls(token))
                for mission, token in missions_and_tokens
            ],
            varying=INVITATION_VARYING,
        )
    return [Mail(subject=INVITATION_SUBJECT, text=text, html=html) for text, html in rendered]


def badge_mail(credential: Credential) -> Mail:
    url = absolute(reverse("badge", args=[credential.public_id]))
    subject = "Votre Open Badge Service Civique"
    with translation.override("fr"):
        text, html = render_mail(
            "claims/mail/badge",
            {
                "subject": subject,
                "credential": credential,
                "badge_url": url,
                "button_url": url,
                "button_label": "Voir mon badge",
                "linkedin_url": linkedin_url(credential),
                # No secret: the Passport asks the volunteer to prove this address.
                "passport_url": absolute(reverse("passport")),
            },
        )
    png = baked_png(credential)
    attachment = ("open-badge-service-civique.png", png, "image/png")
    return Mail(
        subject=subject,
        text=text,
        html=html,
        attachments=(attachment,),
    )


def correction_mail(new: Credential, old: Credential) -> Mail:
    """The corrected badge, with what changed and what becomes of the old one."""
    url = absolute(reverse("badge", args=[new.public_id]))
    subject = "Votre Open Badge Service Civique corrigé"
    corrections = [
        (label, before, after)
        for label, before, after in (
            ("Prénom", old.given_name, new.given_name),
            ("Nom", old.family_name, new.family_name),
            ("Organisme d'accueil", old.host_name, new.host_name),
        )
        if before != after
    ]
    with translation.override("fr"):
        text, html = render_mail(
            "claims/mail/correction",
            {
                "subject": subject,
                "credential": new,
                "corrections": corrections,
                "reason": old.revocation_reason,
                "old_url": absolute(reverse("badge", args=[old.public_id])),
                "badge_url": url,
                "button_url": url,
                "button_label": "Voir mon badge corrigé",
                "linkedin_url": linkedin_url(new),
            },
        )
    attachment = ("open-badge-service-civique.png", baked_png(new), "image/png")
    return Mail(subject=subject, text=text, html=html, attachments=(attachment,))


# Why nothing could be sent, as the explanation mail says it (FAQ §3, §5, §14).
EXPLANATIONS = {
    "declined": "Vous aviez indiqué ne pas souhaiter de badge pour cette mission. "
    "Vous avez changé d'avis ? Ouvrez ce lien personnel puis choisissez "
    "« Finalement, je veux mon badge » :",
    "revoked": "Le badge de cette mission a été révoqué par l'Agence du Service Civique. "
    "Écrivez-nous pour en connaître la raison ou demander une correction.",
    eligibility.NOT_FINISHED: "Votre mission n'est pas encore terminée dans nos registres. "
    "Le badge est proposé le lendemain de la fin d'une mission d'au moins six mois : "
    "vous recevrez alors une invitation à cette adresse.",
    eligibility.INTERRUPTED_TOO_SOON: "Votre mission s'est interrompue avant six mois. "
    "Le badge est réservé aux missions d'au moins six mois effectués.",
    eligibility.TOO_SHORT: "Votre mission a duré moins de six mois. "
    "Le badge est réservé aux missions d'au moins six mois effectués.",
    eligibility.END_BEFORE_START: "Les dates de votre mission dans nos registres sont "
    "incohérentes. Écrivez-nous avec vos dates de mission : nous les ferons corriger.",
    "not_eligible": "Votre mission ne donne pas droit au badge dans nos registres.",
    "not_invited_yet": "L'invitation à obtenir votre badge n'est pas encore partie. Elle "
    "part le lendemain de la fin de mission ou, pour une mission terminée avant l'ouverture "
    "de ce service, lors de l'envoi progressif aux anciens volontaires. Elle arrivera à "
    "cette adresse.",
}


def explanation_mail(mission: Mission, case: str, token: str = "") -> Mail:
    """Why a resend request sends nothing for ``mission``, and the way back if any."""
    subject = "Votre demande d'Open Badge Service Civique"
    link = absolute(reverse("claim", args=[token])) if token else ""
    with translation.override("fr"):
        text, html = render_mail(
            "claims/mail/explanation",
            {
                "subject": subject,
                "mission": mission,
                "explanation": EXPLANATIONS.get(case, EXPLANATIONS["not_eligible"]),
                "link": link,
                "button_url": link,
                "button_label": "Obtenir mon badge" if link else "",
            },
        )
    return Mail(subject=subject, text=text, html=html)
