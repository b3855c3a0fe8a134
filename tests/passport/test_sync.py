"""Synchroniser: badges issued to the account's proven addresses, matched by salted hash."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from insigne.missions.models import Mission
from insigne.passport import sync
from insigne.passport.models import KeptBadge
from tests.passport.helpers import issued_badge, volunteer

pytestmark = pytest.mark.django_db


def kept_ids(user):
    return set(KeptBadge.objects.filter(owner=user).values_list("credential__public_id", flat=True))


def test_it_keeps_the_badges_of_every_verified_address_once(badge_class):
    first = issued_badge("M-SYNC-1", "camille@exemple.test")
    second = issued_badge("M-SYNC-2", "camille@exemple.test")
    other = issued_badge("M-SYNC-3", "camille.pro@exemple.test")
    user = volunteer("camille@exemple.test", "camille.pro@exemple.test")

    result = sync.synchronise(user)
    assert (result.added, result.present) == (3, 0)
    assert kept_ids(user) == {first.public_id, second.public_id, other.public_id}
    assert result.message() == "3 badges ajoutés, 0 déjà présent."

    again = sync.synchronise(user)
    assert (again.added, again.present) == (0, 3)
    assert again.message() == "0 badge ajouté, 3 déjà présents."
    assert KeptBadge.objects.filter(owner=user).count() == 3


def test_an_unverified_address_brings_nothing(badge_class):
    issued_badge("M-SYNC-U", "sacha@exemple.test")
    user = volunteer("sacha@exemple.test", verified=False)
    result = sync.synchronise(user)
    assert (result.added, result.present) == (0, 0)
    assert result.message() == "Aucun badge n'a été délivré à vos adresses vérifiées."
    assert not KeptBadge.objects.filter(owner=user).exists()


def test_the_case_of_an_address_does_not_matter(badge_class):
    badge = issued_badge("M-SYNC-CASE", "Noa.Exemple@Exemple.test")
    user = volunteer("noa.exemple@exemple.TEST")
    assert sync.synchronise(user).added == 1
    assert kept_ids(user) == {badge.public_id}


def test_a_record_whose_address_changed_after_issue_gives_the_badge_to_no_one(badge_class):
    """The mission record only suggests candidates; the signed hash decides."""
    badge = issued_badge("M-SYNC-MOVED", "ancienne@exemple.test")
    Mission.objects.filter(external_id="M-SYNC-MOVED").update(email="nouvelle@exemple.test")
    newcomer = volunteer("nouvelle@exemple.test")
    assert sync.synchronise(newcomer).added == 0
    assert not sync.names_one_of(badge, ["nouvelle@exemple.test"])
    assert sync.names_one_of(badge, ["ancienne@exemple.test"])


def test_one_account_never_gets_another_accounts_badges(badge_class):
    for_alex = issued_badge("M-SYNC-A", "alex@exemple.test")
    for_bo = issued_badge("M-SYNC-B", "bo@exemple.test")
    alex, bo = volunteer("alex@exemple.test"), volunteer("bo@exemple.test")
    sync.synchronise(alex)
    sync.synchronise(bo)
    assert kept_ids(alex) == {for_alex.public_id}
    assert kept_ids(bo) == {for_bo.public_id}


def test_it_hashes_only_the_candidates_not_every_credential(badge_class, monkeypatch):
    """Cost: one salted hash per candidate of the address, not per issued badge."""
    for number in range(6):
        issued_badge(f"M-SYNC-CROWD-{number}", f"foule{number}@exemple.test")
    issued_badge("M-SYNC-MINE", "moi@exemple.test")
    calls = []
    real = sync.identity_hash

    def counting(email, salt):
        calls.append(email)
        return real(email, salt)

    monkeypatch.setattr(sync, "identity_hash", counting)
    assert sync.synchronise(volunteer("moi@exemple.test")).added == 1
    assert calls == ["moi@exemple.test"]


def test_removing_an_address_takes_its_badges_away(badge_class):
    issued_badge("M-SYNC-KEEP", "garde@exemple.test")
    issued_badge("M-SYNC-GONE", "part@exemple.test")
    user = volunteer("garde@exemple.test", "part@exemple.test")
    sync.synchronise(user)
    EmailAddress.objects.filter(email="part@exemple.test").delete()
    assert sync.drop_unmatched(user) == 1
    assert KeptBadge.objects.filter(owner=user).count() == 1
