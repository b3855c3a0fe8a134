"""The demo missions: ~50 missions relative to today (the programme is
``insigne.badges.programme``, the same as in production).

Pure functions, no database: ``load_demo`` writes what they return. Every person
is an obviously invented persona (family names such as "Démo", "Exemple") with
an address under ``exemple.test``, a domain reserved for examples; structures
are invented too and carry no SIRET.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from itertools import cycle

from insigne.missions.eligibility import add_months
from insigne.missions.models import Domain, EndReason

# --- missions ---------------------------------------------------------------------------

GIVEN_NAMES = (
    "Camille", "Sacha", "Alex", "Charlie", "Dominique", "Maxime", "Noa", "Eden",
    "Lou", "Morgan", "Andréa", "Claude", "Yaël", "Ali", "Sam", "Jordan", "Inès",
)  # fmt: skip
FAMILY_NAMES = (
    "Démo", "Exemple", "Essai", "Fictif", "Modèle", "Témoin", "Maquette", "Spécimen",
    "Échantillon", "Prototype", "Test",
)  # fmt: skip
HOSTS = {
    Domain.SOLIDARITE: ("Association Solidarité Exemple", "Rompre l'isolement des personnes âgées"),
    Domain.SANTE: ("Centre de santé de démonstration", "Prévention santé auprès des jeunes"),
    Domain.EDUCATION: ("Collège Exemple (démo)", "Soutien scolaire et aide aux devoirs"),
    Domain.CULTURE: ("Médiathèque de démonstration", "Animation d'ateliers de lecture"),
    Domain.SPORT: ("Club sportif Exemple", "Développement du sport pour toutes et tous"),
    Domain.ENVIRONNEMENT: ("Association Nature Exemple", "Sensibilisation au tri et au compostage"),
    Domain.MEMOIRE: ("Maison de la mémoire (démo)", "Transmission de la mémoire locale"),
    Domain.INTERNATIONAL: ("ONG Coopération Exemple", "Appui à un projet de coopération"),
    Domain.URGENCE: ("Secours Exemple (démo)", "Soutien logistique aux équipes de secours"),
}  # fmt: skip
COMMUNES = (
    ("Lyon", "69"), ("Lille", "59"), ("Rennes", "35"), ("Marseille", "13"),
    ("Toulouse", "31"), ("Strasbourg", "67"), ("Nantes", "44"), ("Bordeaux", "33"),
    ("Clermont-Ferrand", "63"), ("Dijon", "21"), ("Ajaccio", "2A"), ("Pointe-à-Pitre", "971"),
)  # fmt: skip


@dataclass(frozen=True)
class DemoMission:
    external_id: str
    given_name: str
    family_name: str
    email: str
    start_date: dt.date
    planned_end_date: dt.date
    actual_end_date: dt.date | None
    end_reason: str
    host_name: str
    domain: str
    commune: str
    departement: str
    title: str


# (start, planned end, actual end, end reason) for each demo situation
Dates = tuple[dt.date, dt.date, dt.date | None, str]
DAY = dt.timedelta(days=1)
TERM, EARLY = str(EndReason.TERM.value), str(EndReason.EARLY.value)


def _ended_yesterday(today: dt.date) -> list[Dates]:
    months = (6, 7, 8, 9, 10, 12, 6, 8, 7, 6)
    return [(add_months(today, -m), today - DAY, today - DAY, TERM) for m in months]


def _ended_long_ago(today: dt.date) -> list[Dates]:
    ends = [today - dt.timedelta(days=15 + 20 * j) for j in range(1, 11)]
    return [(add_months(end + DAY, -8), end, end, TERM) for end in ends]


def _interrupted_before_six_months(today: dt.date) -> list[Dates]:
    dates: list[Dates] = []
    for j in range(8):
        end = today - dt.timedelta(days=1 + 5 * j)
        start = end - dt.timedelta(days=60 + 15 * j)  # 2 to 5 months served
        dates.append((start, add_months(start, 8) - DAY, end, EARLY))
    return dates


def _interrupted_after_six_months(today: dt.date) -> list[Dates]:
    ends = [today - dt.timedelta(days=1 + 7 * j) for j in range(5)]
    return [(add_months(end, -7), add_months(end, 3), end, EARLY) for end in ends]


def _ending_next_month(today: dt.date) -> list[Dates]:
    first = add_months(today.replace(day=1), 1)
    dates: list[Dates] = []
    for j, months in enumerate((6, 7, 8, 9, 10, 6, 8, 12, 6, 7)):
        planned = first + dt.timedelta(days=2 * j)
        dates.append((add_months(planned + DAY, -months), planned, None, TERM))
    return dates


def _short_terms(today: dt.date) -> list[Dates]:
    ends = [today - dt.timedelta(days=1 + 10 * j) for j in range(5)]
    starts = [add_months(end + DAY, -m) for end, m in zip(ends, (4, 5, 3, 5, 6), strict=True)]
    starts[-1] += DAY  # one day short of six months: the boundary case
    return [(start, end, end, TERM) for start, end in zip(starts, ends, strict=True)]


SITUATIONS = (
    _ended_yesterday,
    _ended_long_ago,
    _interrupted_before_six_months,
    _interrupted_after_six_months,
    _ending_next_month,
    _short_terms,
)


def demo_missions(today: dt.date) -> list[DemoMission]:
    """48 missions around ``today``; the same ``today`` always gives the same list."""
    dates = [item for situation in SITUATIONS for item in situation(today)]
    domains, communes = cycle(HOSTS), cycle(COMMUNES)
    missions = []
    for index, (start, planned, actual, reason) in enumerate(dates, start=1):
        given = GIVEN_NAMES[index % len(GIVEN_NAMES)]
        family = FAMILY_NAMES[index % len(FAMILY_NAMES)]
        domain, (commune, departement) = next(domains), next(communes)
        host, title = HOSTS[domain]
        missions.append(
            DemoMission(
                external_id=f"DEMO-{index:04d}",
                given_name=given,
                family_name=family,
                email=f"{_ascii(given)}.{_ascii(family)}.{index}@exemple.test",
                start_date=start,
                planned_end_date=planned,
                actual_end_date=actual,
                end_reason=reason,
                host_name=host,
                domain=str(domain),
                commune=commune,
                departement=departement,
                title=title,
            )
        )
    return missions


def _ascii(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


CSV_COLUMNS = (
    "identifiant_mission", "prenom", "nom", "email", "date_debut", "date_fin_prevue",
    "date_fin_effective", "motif_fin", "structure", "domaine", "commune", "departement",
    "intitule_mission",
)  # fmt: skip


def missions_csv(missions: list[DemoMission]) -> bytes:
    """The missions in the agency's import format, so the demo loads them the same way."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for m in missions:
        writer.writerow([
            m.external_id, m.given_name, m.family_name, m.email, m.start_date.isoformat(),
            m.planned_end_date.isoformat(),
            m.actual_end_date.isoformat() if m.actual_end_date else "",
            m.end_reason, m.host_name, m.domain, m.commune, m.departement, m.title,
        ])  # fmt: skip
    return out.getvalue().encode("utf-8")
