"""The English catalogue is complete, keeps every placeholder, and its .mo is current."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import ngettext

from insigne.settings import BASE_DIR

LOCALE = Path(BASE_DIR) / "insigne" / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def catalogue() -> polib.POFile:
    return polib.pofile(str(LOCALE / "django.po"))


def test_every_entry_is_translated_and_none_is_fuzzy_or_obsolete():
    po = catalogue()
    assert len(po) > 300
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po.obsolete_entries()] == []


def test_plural_entries_have_both_english_forms():
    po = catalogue()
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    plurals = [e for e in po if e.msgid_plural]
    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr_plural) == [0, 1]
        assert all(entry.msgstr_plural.values()), entry.msgid


def test_translations_keep_the_placeholders_of_the_french():
    for entry in catalogue():
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        expected = sorted(PLACEHOLDER.findall(sources[0]))
        for target in targets:
            assert sorted(PLACEHOLDER.findall(target)) == expected, entry.msgid


def test_the_compiled_catalogue_matches_the_source():
    compiled = {
        (e.msgctxt or "", e.msgid, e.msgid_plural or ""): e.msgstr or dict(e.msgstr_plural)
        for e in polib.mofile(str(LOCALE / "django.mo"))
        if e.msgid
    }
    source = {
        (e.msgctxt or "", e.msgid, e.msgid_plural or ""): e.msgstr or dict(e.msgstr_plural)
        for e in catalogue().translated_entries()
    }
    assert compiled == source


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_every_translatable_string_of_the_source_is_in_the_catalogue(tmp_path, settings):
    """What makemessages would extract today is already translated in the committed file."""
    # A copy of the sources without their locale folder, so the real catalogue is untouched.
    sources = tmp_path / "src"
    shutil.copytree(
        Path(BASE_DIR) / "insigne",
        sources / "insigne",
        ignore=shutil.ignore_patterns("locale", "__pycache__", "*.json", "*.jsonld", "*.png"),
    )
    target = tmp_path / "locale" / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(LOCALE / "django.po", target / "django.po")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    cwd = os.getcwd()
    os.chdir(sources)
    try:
        call_command("makemessages", locale=["en"], verbosity=0)
    finally:
        os.chdir(cwd)
    fresh = polib.pofile(str(target / "django.po"))
    stale = [e.msgid for e in fresh.untranslated_entries() + fresh.fuzzy_entries()]
    assert stale == [], "run `make messages`, then translate these in insigne/locale/en"


def test_french_has_the_plural_forms_of_every_plural_message_and_says_0_mission():
    french = polib.pofile(str(LOCALE.parent.parent / "fr" / "LC_MESSAGES" / "django.po"))
    assert french.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    wanted = {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalogue() if e.msgid_plural}
    written = {
        (e.msgctxt, e.msgid, e.msgid_plural): e.msgstr_plural for e in french if e.msgid_plural
    }
    assert set(written) == wanted  # run ``make messages`` when a plural message changes
    for (_ctxt, singular, plural), forms in written.items():
        assert forms == {0: singular, 1: plural}
    with translation.override("fr"):
        found = [
            ngettext("%(counter)s mission trouvée", "%(counter)s missions trouvées", n)
            for n in (0, 1, 2)
        ]
    assert found == ["%(counter)s mission trouvée"] * 2 + ["%(counter)s missions trouvées"]
    with translation.override("en"):
        assert (
            ngettext("%(counter)s mission trouvée", "%(counter)s missions trouvées", 0) != found[0]
        )
