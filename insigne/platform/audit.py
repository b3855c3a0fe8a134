"""The staff audit log: who did what, when, to what, with the values before and after.

Every staff action (console page, management command, API call made for a
person) writes one :class:`~insigne.platform.models.AuditEntry` through
:func:`record`, inside the transaction of the change itself, so the log and the
change commit or roll back together. Entries are never changed or deleted by
the application. A volunteer's console page lists the entries of their missions;
staff export them as CSV (:func:`csv_rows`, formula-injection-safe).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insigne.platform.models import AuditEntry

SCRIPT = "manage.py"

# action -> what the volunteer's page and the export call it.
ACTIONS: dict[str, Any] = {
    "resend": _("Courriel renvoyé"),
    "change_address": _("Adresse corrigée"),
    "reopen_claim": _("Demande refusée rouverte"),
    "revoke": _("Badge révoqué"),
    "reissue": _("Badge corrigé et réémis"),
    "retry_mail": _("Courriels abandonnés renvoyés"),
}


def actor_name(actor: Any) -> str:
    """The name kept with the entry (it stays if the account goes): username or script.

    A string names a caller that is not a staff account, e.g. ``api:<token id>``.
    """
    if isinstance(actor, str) and actor:
        return actor[:150]
    if actor is None or not getattr(actor, "is_authenticated", False):
        return SCRIPT
    return str(actor.get_username())


def record(
    actor: Any,
    action: str,
    target: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    *,
    mission_id: int | None = None,
    reason: str = "",
) -> AuditEntry:
    """Write one entry. ``actor`` is a user, or ``None`` for a script (``manage.py``).

    ``target`` names the object as ``"<kind>:<id>"`` ("credential:12", "mission:3");
    ``mission_id`` files the entry on the volunteer's page; ``before`` and ``after``
    hold only the fields that changed, as JSON values.
    """
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=user,
        actor_name=actor_name(actor),
        action=action,
        target=target[:64],
        mission_id=mission_id,
        before=dict(before or {}),
        after=dict(after or {}),
        reason=reason.strip()[:300],
    )


def for_mission(mission_id: int) -> Iterable[AuditEntry]:
    return AuditEntry.objects.filter(mission_id=mission_id).order_by("at", "pk")


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def changes(entry: AuditEntry) -> str:
    """``"email : a@x → b@y"``, one field after the other."""
    keys = list(dict.fromkeys([*entry.before, *entry.after]))
    return " ; ".join(
        f"{key} : {entry.before.get(key, '—')} → {entry.after.get(key, '—')}" for key in keys
    )


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run: a leading ``= + - @`` … is quoted with ``'``."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


HEADER = ("date", "auteur", "action", "objet", "mission", "avant → après", "motif")


def csv_rows(entries: Iterable[AuditEntry]) -> Iterator[list[str]]:
    """The header, then one row per entry, every cell made safe for spreadsheets."""
    yield list(HEADER)
    for entry in entries:
        yield [
            safe_cell(cell)
            for cell in (
                timezone.localtime(entry.at).isoformat(timespec="seconds"),
                entry.actor_name,
                action_label(entry.action),
                entry.target,
                entry.mission_id or "",
                changes(entry),
                entry.reason,
            )
        ]
