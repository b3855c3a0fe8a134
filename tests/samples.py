"""Credential facts for tests and benchmarks (``bench`` imports them from here).

``demo_facts()`` is one plain demo persona; ``hostile_facts(rng)`` draws facts
full of markup, right-to-left text, emoji, quotes, backslashes, control
characters, very long names and every combination of the optional fields.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from insigne.openbadges.facts import BadgeFacts, Competency, CredentialFacts, IssuerFacts

SITE_URL = "https://badges.example.test"

DEMO_ISSUER = IssuerFacts(
    site_url=SITE_URL,
    name="Agence du Service Civique",
    url="https://www.service-civique.gouv.fr",
    email="openbadge@service-civique.gouv.fr",
    image_url=f"{SITE_URL}/static/issuer.png",
)

DEMO_BADGE = BadgeFacts(
    slug="service-civique",
    name="Engagement de Service Civique",
    description="Mission d'intérêt général d'au moins six mois accomplie en Service Civique.",
    criteria="Avoir accompli une mission de Service Civique d'au moins six mois.",
    competencies=(
        Competency(
            name="Travailler en équipe",
            description="Coopérer avec les autres membres d'une équipe.",
            framework="ESCO",
            code="S1.8.1",
            url="http://data.europa.eu/esco/skill/S1.8.1",
        ),
        Competency(
            name="Faire preuve d'autonomie",
            description="",
            framework="ESCO",
            code="",
            url="http://data.europa.eu/esco/skill/T4.1",
        ),
    ),
    image_url=f"{SITE_URL}/ob3/achievements/service-civique/image.png",
)


def demo_facts(
    public_id: str = "demo0000000000000000000000000001", index: int = 1
) -> CredentialFacts:
    """Camille Exemple, a demo volunteer."""
    return CredentialFacts(
        public_id=public_id,
        issued_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        given_name="Camille",
        family_name="Exemple",
        email="camille.exemple@example.org",
        salt="5f1c0e9a7b3d4c2e",
        host_name="Association Exemple Solidaire",
        domain="Solidarité",
        start_date=date(2025, 9, 1),
        end_date=date(2026, 2, 28),
        mission_title="Accompagnement des personnes âgées isolées",
        commune="Lyon",
        status_index=index,
        badge=DEMO_BADGE,
        issuer=DEMO_ISSUER,
    )


_PIECES = (
    "<script>alert(1)</script>",
    "<b>gras</b> & ‹›",
    "עברית مرحبا \u202edcba\u202c",
    "🎉👩🏽‍🚒🇫🇷",
    "\"guillemets\" 'apostrophes' « » “ ”",
    '\\ antislash \\n \\"',
    "ligne\nsuivante\r\tfin",
    "\x00\x07\x1b\x7f\x85\x9f",
    "_:b0 <http://x> . ^^",
    "Zoë Ñandú Łódź Ærø",
    "é" * 3,
    " ",
    "",
    "%3A%2F @context @id",
    "\u2028\u2029\ufeff\u200b",
)


def hostile_text(rng: random.Random, *, allow_empty: bool = True) -> str:
    if rng.random() < 0.05:
        return "N" * 300
    text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 4)))
    if not allow_empty and not text.strip():
        return "Nom"
    return text


def _maybe(rng: random.Random, text: str) -> str:
    return text if rng.random() < 0.5 else ""


def hostile_competency(rng: random.Random) -> Competency:
    return Competency(
        name=hostile_text(rng, allow_empty=False),
        description=_maybe(rng, hostile_text(rng)),
        framework=_maybe(rng, rng.choice(["ESCO", "ROME", hostile_text(rng)])),
        code=_maybe(rng, hostile_text(rng)),
        url=f"https://competences.example.test/{rng.randint(0, 10**6)}",
    )


def hostile_facts(rng: random.Random, index: int = 0) -> CredentialFacts:
    badge = BadgeFacts(
        slug=f"badge-{rng.randint(0, 99)}",
        name=hostile_text(rng, allow_empty=False),
        description=hostile_text(rng),
        criteria=hostile_text(rng),
        competencies=tuple(hostile_competency(rng) for _ in range(rng.choice([0, 0, 1, 2, 5]))),
        image_url=_maybe(rng, f"{SITE_URL}/img/{rng.randint(0, 99)}.png"),
    )
    issuer = IssuerFacts(
        site_url=rng.choice(
            [SITE_URL, "http://127.0.0.1:8000", "https://badges.example.test:8443/sc"]
        ),
        name=hostile_text(rng, allow_empty=False),
        url=_maybe(rng, "https://www.service-civique.gouv.fr"),
        email=_maybe(rng, "contact@example.test"),
        image_url=_maybe(rng, f"{SITE_URL}/issuer.png"),
    )
    start = date(2020, 1, 1) + timedelta(days=rng.randint(0, 2000))
    return CredentialFacts(
        public_id=f"{rng.getrandbits(128):032x}",
        issued_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randint(0, 10**8)),
        given_name=hostile_text(rng),
        family_name=hostile_text(rng),
        email=f"v{rng.randint(0, 10**6)}@Example.ORG",
        salt=f"{rng.getrandbits(64):016x}",
        host_name=hostile_text(rng, allow_empty=False),
        domain=rng.choice(["Solidarité", "Santé", "Sport", hostile_text(rng)]),
        start_date=start,
        end_date=start + timedelta(days=rng.randint(180, 400)),
        mission_title=hostile_text(rng, allow_empty=False),
        commune=_maybe(rng, hostile_text(rng)),
        status_index=index,
        badge=badge,
        issuer=issuer,
    )
