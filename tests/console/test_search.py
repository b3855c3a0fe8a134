"""The support search, table-tested: accents, case, hyphens, départements, badge names, dates.

Runs on whichever database the suite runs on (SQLite by default, PostgreSQL with
``DATABASE_URL``): the comparison is on folded columns, not on a collation.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from insigne.console.views import search_missions
from insigne.missions.models import Mission
from insigne.missions.services import import_csv
from insigne.platform.departements import code_for, departements
from insigne.platform.text import fold
from tests.personas import make_mission, make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Clermont-Ferrand", "clermont ferrand"),
        ("Médiathèque", "mediatheque"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("ŒUVRE  d’Entraide", "oeuvre d entraide"),
        ("Straße", "strasse"),
        ("  ", ""),
        ("(.)", ""),
        ("Zoë 🌍", "zoe"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_the_departements_table_has_all_101():
    table = departements()
    assert len(table) == 101
    assert (table["2A"], table["69"], table["976"]) == ("Corse-du-Sud", "Rhône", "Mayotte")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("69", "69"),
        ("rhone", "69"),
        ("Rhône", "69"),
        ("cote d or", "21"),
        ("1", "01"),
        ("2a", "2A"),
        ("la reunion", "974"),
        ("Atlantide", None),
    ],
)
def test_a_departement_by_code_or_name(typed, code):
    assert code_for(typed) == code


@pytest.fixture
def places(db):
    make_mission(
        "M-CLERMONT",
        family_name="Auvergne",
        commune="Clermont-Ferrand",
        departement="63",
        host_name="Médiathèque de Jaude",
    )
    make_mission(
        "M-LYON",
        family_name="Rhodanien",
        commune="Lyon",
        departement="69",
        host_name="Association Exemple",
        start_date=dt.date(2025, 9, 1),
        planned_end_date=dt.date(2026, 2, 28),
        actual_end_date=dt.date(2026, 2, 28),
    )
    make_mission(
        "M-AJACCIO",
        family_name="Corse",
        given_name="Ève",
        commune="Ajaccio",
        departement="2A",
        host_name="Œuvre d'entraide",
    )


@pytest.mark.parametrize(
    ("criteria", "found"),
    [
        ({"place": "clermont ferrand"}, {"M-CLERMONT"}),
        ({"place": "CLERMONT-FERRAND"}, {"M-CLERMONT"}),
        ({"place": "mediatheque"}, {"M-CLERMONT"}),
        ({"place": "Médiathèque"}, {"M-CLERMONT"}),
        ({"place": "puy de dome"}, {"M-CLERMONT"}),
        ({"place": "63"}, {"M-CLERMONT"}),
        ({"place": "rhône"}, {"M-LYON"}),
        ({"place": "corse du sud"}, {"M-AJACCIO"}),
        ({"place": "oeuvre"}, {"M-AJACCIO"}),
        ({"name": "eve"}, {"M-AJACCIO"}),
        ({"name": "EVE corse"}, {"M-AJACCIO"}),
        ({"name": "eve", "place": "lyon"}, set()),
        ({"external_id": "m-lyon"}, {"M-LYON"}),
        ({"external_id": "M-LYON"}, {"M-LYON"}),
        ({"external_id": "LYON"}, set()),  # whole ids only: the unique index serves it
        ({"email": "M-Lyon@Exemple.TEST"}, {"M-LYON"}),
        ({"email": " m-lyon@exemple.test "}, {"M-LYON"}),
        ({"email": "m-lyon"}, set()),  # whole addresses only: LOWER(email)'s index serves it
        (
            {
                "date_kind": "start",
                "date_from": dt.date(2025, 8, 1),
                "date_until": dt.date(2025, 9, 30),
            },
            {"M-LYON"},
        ),
        ({"date_kind": "end", "date_until": dt.date(2026, 3, 1)}, {"M-LYON"}),
        ({"date_kind": "end", "date_from": dt.date(2026, 6, 1)}, {"M-CLERMONT", "M-AJACCIO"}),
    ],
)
def test_search_table(places, criteria, found):
    assert {m.external_id for m in search_missions(criteria)} == found


HEADER = (
    "identifiant_mission;prenom;nom;email;date_debut;date_fin_prevue;date_fin_effective;"
    "structure;domaine;commune;departement\n"
)


def test_imported_missions_are_searchable_folded(db):
    """The set-based import fills the folded columns as ``save()`` does, and keeps them."""
    row = "M-IMPORT;Zoé;Lefèvre-Durand;zoe@exemple.test;2025-01-06;2025-07-05;2025-07-05;"
    import_csv((HEADER + row + "Maison des Jeunes;Sport;Saint-Étienne;42\n").encode(), "csv")
    mission = Mission.objects.get(external_id="M-IMPORT")
    assert mission.search_name == "zoe lefevre durand"
    assert mission.search_place == "saint etienne maison des jeunes 42 loire"
    assert {m.external_id for m in search_missions({"name": "lefevre", "place": "loire"})} == {
        "M-IMPORT"
    }
    import_csv((HEADER + row + "Maison des Jeunes;Sport;Lyon;69\n").encode(), "csv")
    mission.refresh_from_db()
    assert mission.search_place == "lyon maison des jeunes 69 rhone"


def test_a_reversed_range_is_refused_in_french(client, places):
    client.force_login(make_staff("agent"))
    response = client.get(
        reverse("console_support"), {"date_from": "2026-06-30", "date_until": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "est après sa date de fin" in response.content.decode()


def test_no_result_is_said_plainly(client, places):
    client.force_login(make_staff("agent"))
    page = client.get(reverse("console_support"), {"name": "personne"}).content.decode()
    assert "Aucune mission trouvée." in page
