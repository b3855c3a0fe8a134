"""The programme's funnel, counted by the database, per month, domain or département.

Each stage is counted on its own event and date: a mission imported in March
and invited in July counts in March for "importées" and in July for "invitées".

* importées — missions created (date: import); éligibles — eligible missions
  (date: end of mission);
* invitées — invitations (date: creation); délivrées — invitation mails
  accepted by the relay (date: sending); en échec — invited missions whose
  address bounced (date: invitation);
* liens ouverts — personal links opened (the claim started); badges émis —
  validated claims (date: validation); refusés — declined (date: decline);
* révoqués — revoked badges, of which remplacés — revoked and reissued
  (date: revocation);
* visites des pages de badge, clics « Ajouter à LinkedIn » — daily counters
  with no personal data (``DailyCount``), so they exist per month only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from insigne.badges.models import Credential
from insigne.claims.models import Invitation
from insigne.missions.models import Domain, Mission
from insigne.programme.imports import safe_cell
from insigne.programme.models import CountKind, DailyCount

DIMENSIONS: dict[str, Promise] = {
    "mois": _("Mois"),
    "domaine": _("Domaine"),
    "departement": _("Département"),
}
UNKNOWN = "—"


@dataclass(frozen=True)
class Stage:
    key: str
    label: Promise
    rows: Callable[[], QuerySet[Any]]
    date: str  # the event's date field
    mission: str  # path from the row to its mission ("" for a mission)


STAGES = [
    Stage("imported", _("Importées"), lambda: Mission.objects.all(), "created_at", ""),
    Stage(
        "eligible",
        _("Éligibles"),
        lambda: Mission.objects.filter(eligible=True),
        "actual_end_date",
        "",
    ),
    Stage("invited", _("Invitées"), lambda: Invitation.objects.all(), "created_at", "mission__"),
    Stage(
        "delivered",
        _("Invitations délivrées"),
        lambda: Invitation.objects.filter(sent_at__isnull=False),
        "sent_at",
        "mission__",
    ),
    Stage(
        "bounced",
        _("Adresses en échec"),
        lambda: Invitation.objects.filter(mission__email_undeliverable=True),
        "created_at",
        "mission__",
    ),
    Stage(
        "claimed",
        _("Liens ouverts"),
        lambda: Invitation.objects.filter(opened_at__isnull=False),
        "opened_at",
        "mission__",
    ),
    Stage(
        "issued",
        _("Badges émis"),
        lambda: Invitation.objects.filter(validated_at__isnull=False),
        "validated_at",
        "mission__",
    ),
    Stage(
        "declined",
        _("Badges refusés"),
        lambda: Invitation.objects.filter(declined_at__isnull=False),
        "declined_at",
        "mission__",
    ),
    Stage(
        "revoked",
        _("Badges révoqués"),
        lambda: Credential.objects.filter(revoked_at__isnull=False),
        "revoked_at",
        "invitation__mission__",
    ),
    Stage(
        "reissued",
        _("Badges remplacés (corrigés)"),
        lambda: Credential.objects.filter(replaced_by__isnull=False),
        "revoked_at",
        "invitation__mission__",
    ),
]
COUNTERS = [
    ("badge_views", CountKind.BADGE_VIEW, _("Visites des pages de badge")),
    ("linkedin_clicks", CountKind.LINKEDIN_CLICK, _("Clics « Ajouter à LinkedIn »")),
]


@dataclass
class Funnel:
    dimension: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[tuple[str, list[int]]]  # (group label, one count per column)
    totals: list[int]


def _group_key(stage: Stage, dimension: str) -> Any:
    if dimension == "mois":
        return TruncMonth(stage.date)
    field = "domain" if dimension == "domaine" else "departement"
    return F(stage.mission + field)


def _label(dimension: str, key: Any) -> str:
    if key in (None, ""):
        return UNKNOWN
    if dimension == "mois":
        return f"{key:%Y-%m}"
    if dimension == "domaine":
        return str(Domain(key).label) if key in Domain.values else str(key)
    return str(key)


def funnel(dimension: str = "mois") -> Funnel:
    if dimension not in DIMENSIONS:
        dimension = "mois"
    counts: dict[str, dict[str, int]] = {}
    for stage in STAGES:
        grouped = (
            stage.rows()
            .filter(~Q(**{f"{stage.date}__isnull": True}))
            .annotate(group=_group_key(stage, dimension))
            .values("group")
            .annotate(n=Count("pk"))
        )
        for row in grouped:
            label = _label(dimension, row["group"])
            counts.setdefault(label, {})[stage.key] = (
                counts.get(label, {}).get(stage.key, 0) + row["n"]
            )
    columns = [(stage.key, str(stage.label)) for stage in STAGES]
    if dimension == "mois":
        for key, kind, counter_label in COUNTERS:
            columns.append((key, str(counter_label)))
            for row in (
                DailyCount.objects.filter(kind=kind)
                .annotate(group=TruncMonth("day"))
                .values("group")
                .annotate(n=Sum("count"))
            ):
                counts.setdefault(_label(dimension, row["group"]), {})[key] = row["n"] or 0
    keys = [key for key, _label_ in columns]
    rows = [
        (label, [counts[label].get(key, 0) for key in keys])
        for label in sorted(counts, key=lambda text: (text == UNKNOWN, text))
    ]
    totals = [sum(values[i] for _group, values in rows) for i in range(len(keys))]
    return Funnel(dimension, columns, rows, totals)


def funnel_csv(data: Funnel) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(DIMENSIONS[data.dimension])] + [label for _key, label in data.columns])
    for label, values in data.rows:
        writer.writerow([safe_cell(label), *values])
    writer.writerow([str(_("Total")), *data.totals])
    return out.getvalue()


def chart_data(data: Funnel) -> dict[str, Any]:
    """What the chart script draws: one bar series per stage over the groups."""
    return {
        "labels": [label for label, _values in data.rows],
        "series": [
            {"label": label, "data": [values[i] for _group, values in data.rows]}
            for i, (_key, label) in enumerate(data.columns)
        ],
    }
