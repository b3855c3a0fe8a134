"""Sharing a badge: link previews, QR code, mail, embed snippet, the OB 2.0 image, the PDF."""

import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pypdfium2
import pytest
import zxingcpp
from django.urls import reverse
from pypdf import PdfReader

from insigne.badges.models import Credential
from insigne.claims import services
from insigne.openbadges.baking import OB2_KEYWORD, unbake_png
from tests.claims.helpers import invite
from tests.personas import make_mission

pytestmark = pytest.mark.django_db

SITE = "https://badges.example.test"


@pytest.fixture
def credential(camille, badge_class):
    invitation, _ = invite(camille)
    return services.validate_claim(invitation)


def meta(page: str, key: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', page)
    assert found, f"no {key} meta"
    return unescape(found.group(1))


def page_of(client, credential) -> str:
    return client.get(reverse("badge", args=[credential.public_id])).content.decode()


def test_the_link_preview_shows_the_medal_at_an_absolute_address(client, credential):
    page = page_of(client, credential)
    image = meta(page, "og:image")
    assert image == f"{SITE}/ob3/achievements/service-civique/image.png"
    assert meta(page, "twitter:image") == image
    assert meta(page, "twitter:card") == "summary"
    assert meta(page, "og:title") == "Volontaire du Service Civique — Camille Démo"
    assert meta(page, "og:url") == f"{SITE}/badges/{credential.public_id}"
    medal = client.get(urlsplit(image).path)
    assert medal["Content-Type"] == "image/png"
    assert medal.content == bytes(credential.badge_class.image)


def test_linkedin_comes_before_the_badge_itself(client, credential):
    page = page_of(client, credential)
    assert page.index('id="linkedin-add"') < page.index('id="badge-title"')
    assert page.index('id="pdf-download"') < page.index('id="badge-title"')


def test_the_page_offers_the_link_the_mail_and_an_embed_snippet(client, credential):
    page = page_of(client, credential)
    url = f"{SITE}/badges/{credential.public_id}"
    assert f'id="share-url" type="url" value="{url}" readonly' in page
    mailto = unescape(page.split('id="share-mail" href="')[1].split('"')[0])
    query = parse_qs(urlsplit(mailto).query)
    assert query["subject"] == ["Mon Open Badge Service Civique"]
    assert url in query["body"][0]
    embed = unescape(page.split('id="share-embed" rows="4" readonly>')[1].split("</textarea>")[0])
    assert f'<a href="{url}">' in embed
    assert f'src="{SITE}/ob3/achievements/service-civique/image.png"' in embed
    assert "Camille Démo" in embed


def test_the_qr_code_is_an_svg_that_decodes_to_the_badge_page(client, credential):
    response = client.get(reverse("badge_qr", args=[credential.public_id]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert "<script" not in response.content.decode()
    page = page_of(client, credential)
    assert reverse("badge_qr", args=[credential.public_id]) in page


def test_the_ob2_baked_png_is_linked_and_carries_the_assertion(client, credential):
    page = page_of(client, credential)
    href = page.split('id="ob2-png" href="')[1].split('"')[0]
    assert href == f"/badges/{credential.public_id}/badge-ob2.png"
    assert unbake_png(client.get(href).content)[OB2_KEYWORD] == credential.ob2_json


def test_competency_links_lead_to_a_human_page_with_the_esco_reference(client, badge_class):
    badge_class.competencies = [
        {
            "name": "Travail en équipe",
            "framework": "ESCO",
            "url": "http://data.europa.eu/esco/skill/0000-test",
        }
    ]
    badge_class.save()
    invitation, _ = invite(make_mission("M-ESCO"))
    signed = services.validate_claim(invitation)
    page = page_of(client, signed)
    link = page.split("Travail en équipe</strong>")[1].split('href="')[1].split('"')[0]
    assert link == f"{SITE}/ob3/achievements/service-civique#c1"
    human = client.get(urlsplit(link).path, HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert human["Content-Type"].startswith("text/html")
    body = human.content.decode()
    assert 'id="c1"' in body and "Travail en équipe" in body
    assert "http://data.europa.eu/esco/skill/0000-test" in body
    assert (
        "https://esco.ec.europa.eu/fr/classification/skill?uri="
        "http%3A%2F%2Fdata.europa.eu%2Fesco%2Fskill%2F0000-test" in body
    )
    machine = client.get(urlsplit(link).path)  # no Accept: the signed JSON-LD, as before
    assert machine.json()["type"] == ["Achievement"]


# --- the PDF attestation ---------------------------------------------------------------------


def pdf_of(client, credential, language: str) -> bytes:
    response = client.get(reverse("badge_pdf", args=[credential.public_id, language]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def qr_codes_in(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=3).to_pil()
    return [found.text for found in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Attestation d'Open Badge"), ("en", "Open Badge certificate")]
)
def test_the_pdf_attestation_names_the_volunteer_and_its_qr_code_leads_to_the_badge(
    client, credential, language, heading
):
    pdf = pdf_of(client, credential, language)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = " ".join(reader.pages[0].extract_text().split())
    assert heading in text
    assert "Camille Démo" in text
    assert "Volontaire du Service Civique" in text
    assert "Travail en équipe" in text
    assert "Association Exemple" in text
    # The address may wrap before the id (a random id of wide glyphs), never inside it.
    assert f"badges.example.test/badges/{credential.public_id}" in "".join(text.split())
    assert qr_codes_in(pdf) == [f"{SITE}/badges/{credential.public_id}"]


@pytest.mark.parametrize("public_id", ["WWWWWWWWWWWWWWWWWWWWWW", "mmmmmmmmmmm-mmmmmmmmmm"])
def test_the_badge_id_is_never_cut_on_paper(client, credential, public_id):
    Credential.objects.filter(pk=credential.pk).update(public_id=public_id)
    credential.public_id = public_id
    text = PdfReader(io.BytesIO(pdf_of(client, credential, "fr"))).pages[0].extract_text()
    assert [line for line in text.splitlines() if public_id in line], text


def test_the_pdf_is_tagged_for_screen_readers(client, credential):
    reader = PdfReader(io.BytesIO(pdf_of(client, credential, "fr")))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "fr"
    assert "Camille Démo" in reader.metadata.title


def test_the_pdf_in_an_unknown_language_is_a_404(client, credential):
    response = client.get(f"/badges/{credential.public_id}/attestation-de.pdf")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_the_page_links_the_pdf_in_its_language(client, credential):
    page = page_of(client, credential)
    assert f'href="/badges/{credential.public_id}/attestation-fr.pdf"' in page
    assert f'href="/badges/{credential.public_id}/attestation-en.pdf"' in page
