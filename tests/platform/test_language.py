import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_an_english_browser_still_gets_french_first(client):
    response = client.get(reverse("resend"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="fr"' in response.content.decode()
    assert response["Content-Language"] == "fr"


@pytest.mark.django_db
def test_the_footer_choice_switches_to_english_and_back(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("resend")).content.decode()
    assert '<html lang="en"' in english
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert '<html lang="fr"' in client.get(reverse("resend")).content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_french(client):
    client.cookies["django_language"] = "xx"
    assert '<html lang="fr"' in client.get(reverse("resend")).content.decode()


@pytest.mark.django_db
def test_every_page_links_the_accessibility_statement(client):
    home = client.get("/").content.decode()
    assert reverse("accessibility") in home
    statement = client.get(reverse("accessibility")).content.decode()
    assert "partiellement conforme" in statement
    assert "Défenseur des droits" in statement
