"""A volunteer's page: the timeline of each mission, its mail history, its badges.

Everything is read from the rows the journey writes (mission, invitation,
credentials, outgoing mails, audit entries): nothing is kept twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from insigne.badges.models import Credential
from insigne.claims.models import Invitation
from insigne.mail.models import MailStatus, OutgoingMail
from insigne.missions.models import Mission, MissionImport
from insigne.platform import audit
from insigne.platform.models import AuditEntry


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    label: str
    detail: str = ""
    url: str = ""  # where the detail leads, for those allowed to follow it


def badges_of(invitation: Invitation | None) -> list[Credential]:
    """The current badge of the mission first, then the ones it replaced, newest first."""
    if invitation is None or invitation.credential_id is None:
        return []
    chain = [Credential.objects.get(pk=invitation.credential_id)]
    while (older := Credential.objects.filter(replaced_by=chain[-1]).first()) is not None:
        chain.append(older)
    return chain


def mails_of(
    mission: Mission, invitation: Invitation | None, badges: list[Credential]
) -> QuerySet[OutgoingMail]:
    keys = [f"mission:{mission.pk}"] + [f"credential:{c.pk}" for c in badges]
    if invitation is not None:
        keys.append(f"invitation:{invitation.pk}")
    return OutgoingMail.objects.filter(related_key__in=keys).order_by("created_at", "pk")


MAIL_KINDS = {
    "invitation": gettext_lazy("Invitation"),
    "badge": gettext_lazy("Badge"),
    "correction": gettext_lazy("Badge corrigé"),
    "explanation": gettext_lazy("Explication (rien à renvoyer)"),
}


def mail_kind(kind: str) -> str:
    return str(MAIL_KINDS.get(kind, kind))


def imports_of(mission: Mission) -> dict[int, MissionImport]:
    """The imports that created and last changed the mission, without their row reports."""
    ids = {mission.created_by_import_id, mission.changed_by_import_id} - {None}
    return (
        MissionImport.objects.select_related("uploaded_by")
        .only("source", "filename", "created_at", "uploaded_by__username")
        .in_bulk(ids)
    )


def import_event(at: dt.datetime, label: str, run: MissionImport, linked: bool) -> Event:
    """An import's step: its origin and date, linked to its report for whoever may read it."""
    detail = _("%(origin)s — import n° %(pk)s du %(date)s") % {
        "origin": run.origin,
        "pk": run.pk,
        "date": format_date(timezone.localtime(run.created_at), "d/m/Y H:i"),
    }
    url = reverse("programme_import_result", args=[run.pk]) if linked else ""
    return Event(at, label, detail, url)


def timeline(
    mission: Mission,
    invitation: Invitation | None,
    badges: list[Credential],
    mails: QuerySet[OutgoingMail],
    entries: list[AuditEntry],
    imports: dict[int, MissionImport],
    import_links: bool,
) -> list[Event]:
    """Every step of the mission, oldest first; ``import_links``: link imports to their report."""
    created = imports.get(mission.created_by_import_id or 0)
    events = [
        import_event(mission.created_at, _("Mission importée"), created, import_links)
        if created
        else Event(mission.created_at, _("Mission importée"))
    ]
    if changed := imports.get(mission.changed_by_import_id or 0):
        label = _("Mission modifiée par un import")
        events.append(import_event(changed.created_at, label, changed, import_links))
    if invitation is not None:
        events.append(Event(invitation.created_at, _("Invitation créée")))
        if invitation.opened_at:
            events.append(Event(invitation.opened_at, _("Lien personnel ouvert")))
        if invitation.declined_at:
            events.append(Event(invitation.declined_at, _("Badge refusé par le volontaire")))
        if invitation.validated_at:
            events.append(Event(invitation.validated_at, _("Demande validée")))
    for credential in badges:
        events.append(Event(credential.issued_at, _("Badge émis"), credential.public_id))
        if credential.revoked_at:
            label = _("Badge remplacé") if credential.replaced_by_id else _("Badge révoqué")
            events.append(Event(credential.revoked_at, label, credential.revocation_reason))
    for mail in mails:
        kind = mail_kind(mail.kind)
        events.append(Event(mail.created_at, _("Courriel mis en file"), kind))
        if mail.sent_at:
            events.append(Event(mail.sent_at, _("Courriel parti"), kind))
        if mail.status in (MailStatus.FAILED, MailStatus.UNDELIVERABLE):
            label = (
                _("Courriel refusé par le serveur du destinataire")
                if mail.status == MailStatus.UNDELIVERABLE
                else _("Courriel abandonné après plusieurs essais")
            )
            events.append(Event(mail.failing_since or mail.created_at, label, kind))
    for entry in entries:
        detail = audit.changes(entry)
        if entry.reason:
            detail = f"{detail} — {entry.reason}" if detail else entry.reason
        events.append(
            Event(entry.at, f"{audit.action_label(entry.action)} ({entry.actor_name})", detail)
        )
    return sorted(events, key=lambda event: event.at)


def audit_entries(mission: Mission) -> list[AuditEntry]:
    return list(audit.for_mission(mission.pk))


def audit_queryset(mission_id: int | None) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.order_by("at", "pk")
    return entries.filter(Q(mission_id=mission_id)) if mission_id else entries
