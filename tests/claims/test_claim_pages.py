import pytest
from django.urls import reverse

from insigne.badges.models import Credential
from insigne.claims.models import Invitation
from tests.claims.helpers import invite, open_link
from tests.personas import make_mission

pytestmark = pytest.mark.django_db


def test_the_form_is_prefilled_from_the_mission_record(client, camille, badge_class):
    _, token = invite(camille)
    page = client.get(open_link(client, token)).content.decode()
    assert 'value="Camille"' in page
    assert 'value="Démo"' in page
    assert 'value="Association Exemple"' in page
    assert "Solidarité" in page
    assert "openbadge@service-civique.gouv.fr" in page  # whom to contact when dates are wrong


def test_corrections_are_kept_and_shown_in_the_preview(client, camille, badge_class):
    invitation, token = invite(camille)
    response = client.post(
        open_link(client, token),
        {
            "given_name": " Camille\u200b ",
            "family_name": "Démo-Martin",
            "host_name": "Asso Exemple",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("claim_preview")
    invitation.refresh_from_db()
    assert (invitation.draft_given_name, invitation.draft_family_name) == ("Camille", "Démo-Martin")
    preview = client.get(response.url).content.decode()
    assert "Camille Démo-Martin" in preview
    assert "Asso Exemple" in preview
    assert "ne pourra plus être modifié" in preview


def test_empty_and_too_long_names_are_refused_in_french(client, camille, badge_class):
    _, token = invite(camille)
    response = client.post(
        open_link(client, token),
        {"given_name": "\u0007", "family_name": "x" * 301, "host_name": "Asso"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ce champ ne peut pas être vide." in page
    assert "300 caractères" in page


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        "\u202eelliM\u202c",
        "Zoé 🌱",
        "A" * 300,
        'O\'Brien "Jo" & Co',
    ],
)
def test_hostile_names_are_rendered_as_text(client, badge_class, name):
    mission = make_mission("M-HOSTILE", given_name=name)
    _, token = invite(mission)
    page = client.get(open_link(client, token)).content.decode()
    assert "<script>alert(1)</script>" not in page
    preview = client.get(reverse("claim_preview"))
    assert preview.status_code == 200
    assert "<script>alert(1)</script>" not in preview.content.decode()


@pytest.mark.parametrize(
    "token",
    ["", "x", "A" * 32, "A" * 31 + "!", "../../admin"],
)
def test_unknown_or_tampered_links_get_a_french_help_page(client, camille, token):
    invite(camille)
    response = client.get(f"/obtenir/{token}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Ce lien ne fonctionne pas" in page or "Page introuvable" in page
    assert reverse("resend") in page


def test_a_link_with_one_character_changed_is_unknown(client, camille):
    _, token = invite(camille)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(reverse("claim", args=[tampered]))
    assert response.status_code == 404
    assert "Ce lien ne fonctionne pas" in response.content.decode()


def test_declining_closes_the_link_and_it_can_be_reopened(client, camille, badge_class):
    invitation, token = invite(camille)
    assert client.post(open_link(client, token, "refuser")).status_code == 200
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    response = client.get(reverse("claim", args=[token]), follow=True)
    assert response.status_code == 410
    assert "Vous avez refusé ce badge" in response.content.decode()
    assert client.post(reverse("claim_preview"), {"confirm": "on"}).status_code == 410
    assert Credential.objects.count() == 0
    client.post(reverse("claim_reopen"))
    assert client.get(reverse("claim", args=[token]), follow=True).status_code == 200


def test_validation_needs_the_explicit_confirmation(client, camille, badge_class):
    _, token = invite(camille)
    open_link(client, token)
    response = client.post(reverse("claim_preview"), {})
    assert response.status_code == 200
    assert "Cochez la case pour confirmer" in response.content.decode()
    assert Credential.objects.count() == 0


def test_validation_issues_the_badge_once_and_the_link_then_shows_it(
    client, camille, badge_class, django_capture_on_commit_callbacks, mailoutbox
):
    invitation, token = invite(camille)
    open_link(client, token, "apercu")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("claim_preview"), {"confirm": "on"})
    credential = Credential.objects.get()
    assert response.url == reverse("badge", args=[credential.public_id])
    assert [m.subject for m in mailoutbox] == ["Votre Open Badge Service Civique"]
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("claim_preview"), {"confirm": "on"})
    assert again.url == response.url
    assert Credential.objects.count() == 1
    assert len(mailoutbox) == 1
    assert client.get(reverse("claim", args=[token]), follow=True).redirect_chain[-1][0] == (
        response.url
    )
    invitation.refresh_from_db()
    assert invitation.validated_at == credential.issued_at
    assert Invitation.objects.get().pk == invitation.pk


def test_a_record_corrected_to_ineligible_after_the_invitation_gives_no_badge(
    client, camille, badge_class
):
    import datetime as dt

    from insigne.claims import services
    from insigne.missions.models import EndReason, Mission

    invitation, token = invite(camille)
    Mission.objects.filter(pk=camille.pk).update(
        actual_end_date=dt.date(2026, 3, 1),
        end_reason=EndReason.EARLY,
        eligible=False,
        ineligibility_reason="rupture_avant_6_mois",
    )
    response = client.get(reverse("claim", args=[token]), follow=True)
    assert response.status_code == 410
    assert "Badge indisponible" in response.content.decode()
    assert client.post(reverse("claim_preview"), {"confirm": "on"}).status_code == 410
    invitation.refresh_from_db()
    with pytest.raises(services.ClaimError) as refused:
        services.validate_claim(invitation)
    assert refused.value.code == "not_eligible"
    assert Credential.objects.count() == 0
