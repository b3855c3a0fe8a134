"""Write the French plural forms of our own messages into ``locale/fr`` (``make messages``).

The site's messages are written in French at the source, so French needs no
catalogue, except for one thing: with no entry for a message, ``ngettext`` picks
the singular for 1 only, the English rule, and French says « 0 mission trouvée ».
Every plural message of the English catalogue (which ``makemessages`` keeps
complete) gets a French entry here, its two forms being the source's own
singular and plural, under the French rule (``n > 1``). Entries of other
components' labels, written by hand, are kept; plural entries whose message
left the source go.
"""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "insigne" / "locale"
ENGLISH = LOCALE / "en" / "LC_MESSAGES" / "django.po"
FRENCH = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
MARK = "source-plural"  # the flag of the entries this script writes
HEADER = (
    "French labels of components that are not ours and ship no French, and the plural\n"
    "forms of our own messages (written by tests/i18n/french_plurals.py, flag\n"
    "source-plural). The rest of the site is written in French at the source (the\n"
    "English is in ../en)."
)


def french_entries(english: polib.POFile) -> list[polib.POEntry]:
    return [
        polib.POEntry(
            msgctxt=entry.msgctxt,
            msgid=entry.msgid,
            msgid_plural=entry.msgid_plural,
            msgstr_plural={0: entry.msgid, 1: entry.msgid_plural},
            flags=[MARK] + [flag for flag in entry.flags if flag.endswith("-format")],
        )
        for entry in english
        if entry.msgid_plural and not entry.obsolete
    ]


def main() -> None:
    french = polib.pofile(str(FRENCH), wrapwidth=100)
    french.header = HEADER
    kept = [entry for entry in french if MARK not in entry.flags]
    french[:] = kept + french_entries(polib.pofile(str(ENGLISH)))
    french.save()


if __name__ == "__main__":
    main()
