"""The demo programme: the badge class, its image, and ~50 missions relative to today.

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

from PIL import Image, ImageDraw, ImageFont

from insigne.missions.eligibility import add_months
from insigne.missions.models import Domain, EndReason

BADGE_SLUG = "service-civique"
BADGE_NAME = "Volontaire du Service Civique"
BADGE_DESCRIPTION = (
    "{given_name} {family_name} a accompli une mission de Service Civique de {months} mois, "
    "du {start_date} au {end_date}, au sein de {host_name}, dans le domaine « {domain} » : "
    "{title}. Par cet engagement volontaire au service de l'intérêt général, reconnu par "
    "l'Agence du Service Civique, {given_name} a mis en œuvre et développé les compétences "
    "décrites dans ce badge."
)
BADGE_CRITERIA = (
    "Avoir effectué une mission de Service Civique d'une durée effective d'au moins 6 mois "
    "(de date à date, date de fin incluse), quelle que soit la durée prévue au contrat. "
    "Une mission interrompue avant 6 mois n'ouvre pas droit au badge. Le badge est proposé "
    "par courriel le lendemain de la fin de la mission ; la ou le volontaire vérifie les "
    "informations de sa mission puis valide le badge."
)
_ESCO = "ESCO — compétences transversales"
# Named after the six ESCO transversal-skill categories; no concept URI is given
# because none is pinned here, so the alignment points at our own achievement.
BADGE_COMPETENCIES: list[dict[str, str]] = [
    {
        "name": "Travailler en équipe",
        "description": "Coopérer avec l'équipe de la structure d'accueil, les bénévoles et "
        "les partenaires pour mener à bien des actions collectives.",
        "framework": f"{_ESCO} (compétences sociales et de communication)",
    },
    {
        "name": "Communiquer avec des publics variés",
        "description": "Présenter une action, écouter et expliquer, à l'oral comme à l'écrit, "
        "auprès de personnes d'âges et de parcours différents.",
        "framework": f"{_ESCO} (compétences sociales et de communication)",
    },
    {
        "name": "S'adapter à des situations nouvelles",
        "description": "Ajuster son action à un contexte, un public ou un imprévu.",
        "framework": f"{_ESCO} (compétences d'autogestion)",
    },
    {
        "name": "Organiser son travail et tenir ses engagements",
        "description": "Planifier ses tâches, respecter les horaires et les délais, rendre "
        "compte de ce qui a été fait.",
        "framework": f"{_ESCO} (compétences d'autogestion)",
    },
    {
        "name": "Agir en citoyen engagé",
        "description": "Contribuer à un projet d'intérêt général et en comprendre les enjeux "
        "pour la collectivité.",
        "framework": f"{_ESCO} (compétences de la vie courante)",
    },
]

# DSFR colours: bleu France, rouge Marianne.
_BLUE, _RED, _WHITE, _GOLD = (0, 0, 145), (225, 0, 15), (255, 255, 255), (214, 178, 90)


def badge_png(size: int = 400) -> bytes:
    """A round medal under a blue-white-red ribbon, "Service Civique" on it."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = size / 400
    third = size / 3
    for index, colour in enumerate((_BLUE, _WHITE, _RED)):  # the ribbon, behind the medal
        left = size * 0.32 + index * third * 0.36
        draw.polygon(
            [
                (left, 0),
                (left + third * 0.36, 0),
                (left + third * 0.36, size * 0.45),
                (left, size * 0.45),
            ],
            fill=colour,
            outline=(200, 200, 200) if colour == _WHITE else colour,
        )
    box = (size * 0.1, size * 0.18, size * 0.9, size * 0.98)
    draw.ellipse(box, fill=_GOLD)
    inner = (box[0] + 14 * unit, box[1] + 14 * unit, box[2] - 14 * unit, box[3] - 14 * unit)
    draw.ellipse(inner, fill=_BLUE, outline=_WHITE, width=round(4 * unit))
    centre_x, centre_y = size / 2, (box[1] + box[3]) / 2
    _text(draw, (centre_x, centre_y - 34 * unit), "SERVICE", round(40 * unit))
    _text(draw, (centre_x, centre_y + 12 * unit), "CIVIQUE", round(40 * unit))
    _text(draw, (centre_x, centre_y + 62 * unit), "Volontaire", round(24 * unit))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _text(draw: ImageDraw.ImageDraw, centre: tuple[float, float], text: str, size: int) -> None:
    font = ImageFont.load_default(size=size)
    draw.text(centre, text, fill=_WHITE, font=font, anchor="mm")


def badge_svg() -> str:
    """The same medal as a small SVG (the baked SVG badge starts from it)."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" '
        'height="400" role="img" aria-label="Service Civique — Volontaire">'
        '<rect x="128" y="0" width="48" height="180" fill="#000091"/>'
        '<rect x="176" y="0" width="48" height="180" fill="#ffffff" stroke="#c8c8c8"/>'
        '<rect x="224" y="0" width="48" height="180" fill="#e1000f"/>'
        '<circle cx="200" cy="232" r="160" fill="#d6b25a"/>'
        '<circle cx="200" cy="232" r="146" fill="#000091" stroke="#ffffff" stroke-width="4"/>'
        '<g fill="#ffffff" font-family="Marianne, Arial, sans-serif" text-anchor="middle">'
        '<text x="200" y="212" font-size="40" font-weight="bold">SERVICE</text>'
        '<text x="200" y="258" font-size="40" font-weight="bold">CIVIQUE</text>'
        '<text x="200" y="302" font-size="24">Volontaire</text></g></svg>'
    )


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
