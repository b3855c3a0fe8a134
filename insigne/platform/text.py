"""Names as they will be signed: one normal form for the import, the API and the form.

A name or host name is shown to the volunteer and then signed; what is shown must
be what is signed. So every path that stores one (CSV import, JSON API, claim form)
and the claim itself pass it through :func:`clean_display_text`:

* Unicode NFC (``e`` + combining acute becomes ``é``), so that the same name is the
  same string;
* no *format* characters (Unicode category Cf): bidirectional embeddings,
  overrides and isolates (U+202A–U+202E, U+2066–U+2069, U+061C), zero-width
  spaces and direction marks (U+200B, U+200E, U+200F), word joiners
  (U+2060–U+2064), the byte order mark (U+FEFF), soft hyphens… They are invisible,
  and an override makes ``\u202eelliM`` read as ``Mille``. The one exception:
  the zero-width joiner and non-joiner (U+200D, U+200C) are kept *between two
  visible characters*, where they are spelling (Persian names, Indic scripts) or
  one emoji (👩🏽‍🚀); anywhere else they go too;
* no control characters (Cc), surrogates (Cs) or private-use characters (Co);
* white space trimmed and runs of it made one space.

Letters of every script, marks, punctuation and emoji are kept as typed.
"""

from __future__ import annotations

import functools
import unicodedata

_DROPPED = frozenset({"Cc", "Cf", "Cs", "Co"})
_JOINERS = frozenset("\u200c\u200d")


def clean_display_text(value: str) -> str:
    """``value`` in the form it is shown and signed (see the module docstring)."""
    value = unicodedata.normalize("NFC", value)
    # A printable string holds no Cc, Cf, Cs or Co character (nor a joiner, which is
    # Cf): nothing to drop, and the per-character walk is skipped (most names).
    if value.isprintable():
        pass
    elif not value.isascii():
        value = _visible(value)
    else:
        value = "".join(ch for ch in value if ch.isprintable())  # ASCII: only Cc
    return " ".join(value.split())


def _visible(value: str) -> str:
    kept: list[str] = []
    for index, ch in enumerate(value):
        if ch in _JOINERS:
            after = value[index + 1 : index + 2]
            if kept and _shows(kept[-1]) and after and _shows(after):
                kept.append(ch)
        elif unicodedata.category(ch) not in _DROPPED:
            kept.append(ch)
    return "".join(kept)


def _shows(ch: str) -> bool:
    return not ch.isspace() and unicodedata.category(ch) not in _DROPPED


# --- search ---------------------------------------------------------------------------------

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})


# ASCII needs no decomposition: every character that is not a letter or a digit
# becomes a space, and lower() is casefold() there.
_ASCII_SPACES = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


# An import folds the same communes, host organisations and names again and again:
# the latest ones are kept (a pure function, bounded memory).
@functools.lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """``value`` as the support search compares it: no accents, case, hyphens or punctuation.

    "Clermont-Ferrand" → "clermont ferrand", "Médiathèque" → "mediatheque",
    "L'Haÿ-les-Roses" → "l hay les roses", "Œuvre" → "oeuvre". Letters lose their
    marks (NFKD, combining marks dropped), everything is case-folded, and every
    character that is neither a letter nor a digit (hyphen, apostrophe, dot,
    slash…) becomes a space, runs of spaces one. Pure and cheap: the mission
    import (row by row or set-based) calls it to fill ``Mission.search_text``,
    and the search folds what the agent typed with it, so both sides agree on
    SQLite and PostgreSQL without any database collation.
    """
    if value.isascii():
        return " ".join(value.lower().translate(_ASCII_SPACES).split())
    decomposed = unicodedata.normalize("NFKD", value.casefold().translate(_LIGATURES))
    kept = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        kept.append(ch if ch.isalnum() else " ")
    return " ".join("".join(kept).split())
