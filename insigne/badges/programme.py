"""The Service Civique programme: the badge class every validated claim awards.

Its text is the programme's, not demo data: a data migration creates it at
``migrate`` (``credentials/0002``), ``python manage.py setup_programme`` creates it
again should it have been deleted (staff may edit it in the admin; an existing
class is left alone), and the demo loads the same. A system check
(``check_programme`` below) fails while it is missing. The description is
generated per volunteer from the placeholders ``{given_name}``, ``{family_name}``,
``{host_name}``, ``{domain}``, ``{start_date}``, ``{end_date}``, ``{months}`` and
``{title}`` (FAQ §9).
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from insigne.badges.models import IMAGE_COLUMNS, BadgeClass
from insigne.openbadges import images

SLUG = "service-civique"
# The data migration that creates the class; before it has run, its absence is normal.
CREATED_BY = ("credentials", "0004_service_civique_programme")
NAME = "Volontaire du Service Civique"
# The host's name is quoted after "la structure d'accueil" so that the sentence reads
# right whatever the volunteer typed (with or without an article, see
# ``openbadges.ob3.host_phrase``); dates come as "1er juin 2026".
DESCRIPTION = (
    "{given_name} {family_name} a accompli une mission de Service Civique de {months} mois, "
    "« {title} », du {start_date} au {end_date}, auprès de la structure d'accueil "
    "« {host_name} », dans le domaine « {domain} ». Par cet engagement volontaire au "
    "service de l'intérêt général, reconnu par l'Agence du Service Civique, {given_name} "
    "a mis en œuvre et développé les compétences décrites dans ce badge."
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


def programme_fields() -> dict[str, object]:
    """The badge class as the programme defines it, default medal included."""
    return {
        "name": NAME,
        "description_template": DESCRIPTION,
        "criteria": CRITERIA,
        "competencies": COMPETENCIES,
        "image": images.default_badge_png(),
        "image_svg": images.DEFAULT_BADGE_SVG,
    }


def ensure_programme() -> tuple[BadgeClass, bool]:
    """The programme's badge class, created with the default medal when absent.

    An existing class is left as staff edited it. It is read without its images
    (85 kB and more, read at every validation otherwise): whoever needs them asks
    ``badges.presenter.medal``, which keeps them per process by their digest.
    """
    classes = BadgeClass.objects.defer(*IMAGE_COLUMNS)
    # The defaults draw the default medal (a quarter of a second of CPU, once per
    # process): only when the class is missing, not at each process's first claim.
    existing = classes.filter(slug=SLUG).first()
    if existing is not None:
        return existing, False
    return classes.get_or_create(slug=SLUG, defaults=programme_fields())


@checks.register(checks.Tags.database)
def check_programme(**kwargs: Any) -> list[checks.CheckMessage]:
    """``manage.py check --database default`` fails while the badge class is missing."""
    try:
        if CREATED_BY not in MigrationRecorder(connection).applied_migrations():
            return []  # ``migrate`` is about to create it
        if BadgeClass.objects.filter(slug=SLUG).exists():
            return []
    except DatabaseError:
        return []  # no database to look at: other checks say so
    return [
        checks.Error(
            _(
                "Le modèle de badge Service Civique est absent : aucune invitation ne peut "
                "aboutir à un badge."
            ),
            hint=_("Lancez « python manage.py setup_programme »."),
            id="insigne.E001",
        )
    ]
