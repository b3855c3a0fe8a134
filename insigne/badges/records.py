"""Facts of the issuer and of a badge class, read from settings and the database.

The one place where stored records become the pure facts the builders take, so
the OB 3.0 credential, the OB 2.0 documents and the pages all describe a badge
class the same way.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from insigne.badges.models import BadgeClass
from insigne.openbadges.facts import BadgeFacts, Competency, IssuerFacts


def issuer_facts() -> IssuerFacts:
    return IssuerFacts(
        site_url=settings.SITE_URL,
        name=settings.INSIGNE_ISSUER_NAME,
        url=settings.INSIGNE_ISSUER_URL,
        email=settings.INSIGNE_ISSUER_EMAIL,
        image_url="",
    )


def achievement_facts(badge_class: BadgeClass, description: str = "") -> BadgeFacts:
    """The badge class as facts; without a personal description, its criteria.

    The description template is written per volunteer (FAQ §9), so the shared
    class describes itself by its criteria; the personal text goes in each
    credential. OB 3.0 wants a URL for every alignment: a competency without a
    public framework URL is anchored in our own achievement document.
    """
    site = settings.SITE_URL
    achievement = site + reverse("achievement", args=[badge_class.slug])
    return BadgeFacts(
        slug=badge_class.slug,
        name=badge_class.name,
        description=description or badge_class.criteria,
        criteria=badge_class.criteria,
        competencies=tuple(
            Competency(
                name=item.get("name", ""),
                description=item.get("description", ""),
                framework=item.get("framework", ""),
                code=item.get("code", ""),
                url=item.get("url") or f"{achievement}#c{index}",
            )
            for index, item in enumerate(badge_class.competencies, start=1)
        ),
        image_url=site + reverse("achievement_image", args=[badge_class.slug]),
    )
