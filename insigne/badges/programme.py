"""The Service Civique programme: the badge class every validated claim awards.

Its text is the programme's, not demo data: ``python manage.py setup_programme``
creates it in production (once; staff may then edit it in the admin), and the
demo loads the same. The description is generated per volunteer from the
placeholders ``{given_name}``, ``{family_name}``, ``{host_name}``, ``{domain}``,
``{start_date}``, ``{end_date}``, ``{months}`` and ``{title}`` (FAQ §9).
"""

from __future__ import annotations

from insigne.badges.models import BadgeClass
from insigne.openbadges import images

SLUG = "service-civique"
NAME = "Volontaire du Service Civique"
DESCRIPTION = (
    "{given_name} {family_name} a accompli une mission de Service Civique de {months} mois, "
    "du {start_date} au {end_date}, au sein de {host_name}, dans le domaine « {domain} » : "
    "{title}. Par cet engagement volontaire au service de l'intérêt général, reconnu par "
    "l'Agence du Service Civique, {given_name} a mis en œuvre et développé les compétences "
    "décrites dans ce badge."
)
CRITERIA = (
    "Avoir effectué une mission de Service Civique d'une durée effective d'au moins 6 mois "
    "(de date à date, date de fin incluse), quelle que soit la durée prévue au contrat. "
    "Une mission interrompue avant 6 mois n'ouvre pas droit au badge. Le badge est proposé "
    "par courriel le lendemain de la fin de la mission ; la ou le volontaire vérifie les "
    "informations de sa mission puis valide le badge."
)
_ESCO = "ESCO — compétences transversales"
# Named after the six ESCO transversal-skill categories; no concept URI is given
# because none is pinned here, so the alignment points at our own achievement.
COMPETENCIES: list[dict[str, str]] = [
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


def ensure_programme() -> tuple[BadgeClass, bool]:
    """The programme's badge class, created with the default medal when absent.

    An existing class is left as staff edited it.
    """
    return BadgeClass.objects.get_or_create(
        slug=SLUG,
        defaults={
            "name": NAME,
            "description_template": DESCRIPTION,
            "criteria": CRITERIA,
            "competencies": COMPETENCIES,
            "image": images.default_badge_png(),
            "image_svg": images.DEFAULT_BADGE_SVG,
        },
    )
