"""Text helpers shared by every search: folding accents and case, tokens."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[0-9a-z]+")

# Short French words that carry no meaning in a search ("nettoyage de bâtiments").
STOPWORDS = frozenset(
    "a au aux d de des du en et l la le les ou par pour sur un une avec sans dans".split()
)


def fold(text: str) -> str:
    """Lower-case and strip accents: "Bâtiments EMMAÜS" -> "batiments emmaus"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold().replace("œ", "oe").replace("æ", "ae")


def words(text: str, *, drop_stopwords: bool = True) -> list[str]:
    """The searchable words of a text, folded; never raises on odd characters."""
    found = _WORD.findall(fold(text))
    if drop_stopwords:
        kept = [w for w in found if w not in STOPWORDS]
        return kept or found
    return found


def fts_prefix_query(text: str, *, any_word: bool = False) -> str | None:
    """An FTS5 MATCH expression where every word is a quoted prefix.

    Quoting each token makes operators typed by the user ("AND(", "*", "-")
    plain text: the query can never be a syntax error. Returns None when the
    text holds no word at all.
    """
    tokens = words(text)
    if not tokens:
        return None
    joiner = " OR " if any_word else " "
    return joiner.join(f'"{token}"*' for token in tokens)
