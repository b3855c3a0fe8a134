"""What an employer reads on the verifier page: one verdict, claims of a failed document
greyed and never "official", the genuine record beside a forgery, plain French, and every
way to give a badge (address with or without scheme, LinkedIn id, OB 2.0 assertion URL)."""

import html
import io
import json
import re

import pytest
import segno
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from insigne.badges.models import Visibility
from insigne.verifier.verify import verify
from tests.verifier.helpers import issue_ours

EMAIL = "m-verify@exemple.test"


@pytest.fixture
def credential(db):
    return issue_ours()


def forged(credential):
    document = json.loads(credential.ob3_json)
    document["credentialSubject"]["name"] = "Usurpateur Faussaire"
    return json.dumps(document)


def page_of(client, **data):
    response = client.post(reverse("verify_upload"), data)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_forged_badge_shows_its_claims_greyed_and_the_genuine_record(client, credential):
    page = page_of(client, badge_text=forged(credential))
    assert 'data-verdict="invalid"' in page
    assert "Badge non authentique" in page
    assert "Ce que prétend le document — non vérifié" in page
    assert 'class="insigne-unverified' in page
    assert "Émetteur officiel" not in page
    # The genuine record beside it, read from our register.
    assert "Le badge authentique portant cet identifiant dit :" in page
    genuine = page.split('id="genuine"', 1)[1].split("</section>", 1)[0]
    assert "Camille Démo" in genuine and "Usurpateur Faussaire" not in genuine
    assert f"/badges/{credential.public_id}" in genuine


def test_the_genuine_record_of_a_hidden_badge_is_not_shown(client, credential):
    credential.visibility = Visibility.HIDDEN
    credential.save()
    page = page_of(client, badge_text=forged(credential))
    assert 'data-verdict="invalid"' in page
    assert 'id="genuine"' not in page


def test_checks_are_in_plain_french_and_codes_only_in_the_technical_details(client, credential):
    page = page_of(client, badge_text=forged(credential))
    checks = page.split('id="checks"', 1)[1].split("</ul>", 1)[0]
    checks = re.sub(r"<[^>]*>", " ", checks.split(">", 1)[1])  # the text a reader sees
    assert "Signature de l'émetteur" in checks
    assert "le badge a été modifié" in checks
    for technical in ("key_binding", "did:web", "schema", "@context", "eddsa"):
        assert technical not in checks, technical
    details = page.split('id="technical"', 1)[1]
    assert "<summary>Détails techniques</summary>" in details
    assert "<code>signature</code>" in details


def test_a_wrong_email_gives_one_verdict_that_is_not_green(client, credential):
    page = page_of(client, badge_text=credential.ob3_json, email="autre@exemple.test")
    verdict = page.split('id="verdict"', 1)[1].split("</div>", 1)[0]
    assert 'data-recipient-match="no"' in verdict
    assert "pas délivré à cette adresse" in verdict
    assert "fr-alert--success" not in page


def test_a_replaced_badge_links_to_the_corrected_one(client, credential):
    newer = issue_ours("M-VERIFY-2", "verify0002")
    credential.revoked_at = timezone.now()
    credential.replaced_by = newer
    credential.save()
    page = page_of(client, badge_text=credential.ob3_json)
    verdict = page.split('id="verdict"', 1)[1].split("</div>", 1)[0]
    assert 'data-verdict="replaced"' in page
    assert "/badges/verify0002" in verdict and "Voir la version corrigée" in verdict


def test_our_badge_says_what_it_proves_and_what_the_volunteer_typed(client, credential):
    page = page_of(client, badge_text=credential.ob3_json)
    proves = page.split('id="what-it-proves"', 1)[1].split("</div>", 1)[0]
    assert "Ce que ce badge prouve" in proves
    assert "nom et prénom" in proves and "structure d'accueil" in proves


@pytest.mark.parametrize(
    "given",
    [
        "{site}/badges/{id}",
        "{bare}/badges/{id}",
        "{bare}/badges/{id}/",
        "{site}/verifier/badge/{id}",
        "{site}/ob2/assertions/{id}",
        "{id}",
    ],
)
def test_a_badge_is_found_by_its_address_or_its_linkedin_id(credential, given):
    site = settings.SITE_URL
    bare = site.split("://", 1)[1]
    text = given.format(site=site, bare=bare, id=credential.public_id)
    verdict = verify(f"  {text}  ")
    assert verdict.status == "valid", verdict.checks
    assert verdict.summary.issuer_is_us


def test_an_unknown_or_hidden_id_is_not_found(credential):
    assert verify("AAAAAAAAAAAAAAAAAAAAAA").checks[0].code == "badge_id_unknown"
    credential.visibility = Visibility.HIDDEN
    credential.save()
    assert verify(credential.public_id).checks[0].code == "badge_id_unknown"
    # The OB 2.0 assertion stays served whatever the holder chose.
    assert verify(f"{settings.SITE_URL}/ob2/assertions/{credential.public_id}").status == "valid"


def test_the_page_verifies_a_linkedin_id(client, credential):
    page = page_of(client, badge_text=credential.public_id, email=EMAIL)
    assert 'data-verdict="valid"' in page and 'data-recipient-match="yes"' in page


def qr_image(text, kind="png"):
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind=kind, scale=8, border=4)
    return buffer.getvalue()


def test_a_photo_of_the_badge_pages_qr_code_is_verified(client, credential):
    url = f"{settings.SITE_URL}/badges/{credential.public_id}"
    photo = Image.open(io.BytesIO(qr_image(url))).convert("RGB")
    jpeg = io.BytesIO()
    photo.save(jpeg, format="JPEG", quality=85)
    for data in (qr_image(url), jpeg.getvalue()):
        verdict = verify(data, filename="photo.jpg")
        assert verdict.status == "valid", verdict.checks
        assert verdict.container == "qr"
    upload = SimpleUploadedFile("scan.jpg", jpeg.getvalue(), content_type="image/jpeg")
    page = page_of(client, badge_file=upload)
    assert 'data-verdict="valid"' in page


def test_an_image_without_a_badge_qr_code_is_unreadable_with_a_reason():
    blank = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(blank, format="JPEG")
    assert verify(blank.getvalue()).checks[0].reason == "qr_none"
    assert verify(qr_image("bonjour tout le monde")).checks[0].reason == "qr_not_badge"
