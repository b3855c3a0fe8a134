"""The whole journey in a real browser, with real SMTP:

import → send_invitations → invitation mail → link → form → preview → validate →
badge mail with the baked PNG → badge page → LinkedIn URL.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from insigne.badges.models import Credential
from insigne.openbadges.baking import unbake_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = (
    "identifiant_mission;prenom;nom;email;date_debut;date_fin_prevue;date_fin_effective;"
    "motif_fin;structure;siret;numero_agrement;domaine;commune;departement;intitule_mission"
)


def write_csv(tmp_path, end: dt.date) -> str:
    start = end.replace(year=end.year - 1)
    row = (
        f"SC-2026-0001;Camille;Demo;camille@exemple.test;{start:%Y-%m-%d};{end:%Y-%m-%d};"
        f"{end:%d/%m/%Y};terme;Association Exemple;12345678901234;AG-1;Solidarité;Lyon;69;"
        "Accompagnement aux devoirs"
    )
    path = tmp_path / "missions.csv"
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    return str(path)


def link_in(message, marker: str) -> str:
    text = message.get_body(("plain",)).get_content()
    return next(word for word in text.split() if marker in word)


def test_a_volunteer_gets_a_badge_from_the_csv_to_linkedin(
    page, live_server, smtp_server, badge_class, tmp_path
):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    call_command("import_missions", write_csv(tmp_path, yesterday), stdout=StringIO())
    call_command("send_invitations", stdout=StringIO())

    [invitation] = smtp_server.wait_for(1)
    assert invitation["Subject"] == "Votre Open Badge Service Civique vous attend"
    claim_link = link_in(invitation, "/obtenir/")
    assert claim_link.startswith(live_server.url)

    page.goto(claim_link)
    assert page.get_by_label("Prénom").input_value() == "Camille"
    page.locator("#id_family_name").fill("Démo")
    page.get_by_role("button", name="Prévisualiser mon badge").click()

    page.wait_for_url(re.compile(r"/apercu/$"))
    assert page.get_by_text("Camille Démo").first.is_visible()
    assert page.get_by_text("Association Exemple").first.is_visible()
    page.get_by_role("button", name="Valider mon badge").click()
    # The form comes back with its error: waited for, as the answer takes a moment.
    expect(page.get_by_text("Cochez la case pour confirmer")).to_be_visible()  # nothing signed
    assert Credential.objects.count() == 0
    page.get_by_text("Je confirme que ces informations sont exactes").click()  # the DSFR label
    assert page.locator("#id_confirm").is_checked()
    page.get_by_role("button", name="Valider mon badge").click()

    page.wait_for_url(re.compile(r"/badges/[\w-]+$"))
    assert page.get_by_role("heading", name="Badge authentique").is_visible()
    credential = Credential.objects.get()
    assert credential.family_name == "Démo"

    [_, badge_mail] = smtp_server.wait_for(2)
    assert badge_mail["Subject"] == "Votre Open Badge Service Civique"
    [attachment] = list(badge_mail.iter_attachments())
    assert attachment.get_content_type() == "image/png"
    baked = json.loads(unbake_png(attachment.get_content())["openbadgecredential"])
    assert baked == json.loads(credential.ob3_json)
    assert baked["credentialSubject"]["name"] == "Camille Démo"
    assert link_in(badge_mail, "/badges/") == page.url

    href = page.locator("#linkedin-add").get_attribute("href")
    # Our counting redirect first, then LinkedIn's prefilled form.
    redirect = page.request.get(urljoin(page.url, href), max_redirects=0)
    assert redirect.status == 302
    parts = urlsplit(redirect.headers["location"])
    assert (parts.netloc, parts.path) == ("www.linkedin.com", "/profile/add")
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    issued = timezone.localtime(credential.issued_at)
    assert query == {
        "startTask": "CERTIFICATION_NAME",
        "name": badge_class.name,
        "organizationName": "Agence du Service Civique",
        "issueYear": str(issued.year),
        "issueMonth": str(issued.month),
        "certUrl": page.url,
        "certId": credential.public_id,
    }

    page.goto(claim_link)  # the link now shows the issued badge
    page.wait_for_url(re.compile(r"/badges/[\w-]+$"))
    assert Credential.objects.count() == 1
