"""French typography and XML-safe text for the documents.

Two steps, applied to every piece of text a writer puts in a document:
``clean_text`` drops what Word's XML cannot hold (python-docx refuses control
characters; a lone surrogate cannot even be encoded), ``french`` applies the
rules of the Imprimerie nationale that a buyer's legal department expects:
a narrow no-break space before ; ! ?, a no-break space before : and inside
« », thousands grouped by a narrow no-break space, "€ HT" never split, a
no-break space after "n°" and "art." and no line break inside a reference
("L2112-2", "n° 2020-105": the hyphen becomes U+2011, which the Word writer
turns into Word's own non-breaking hyphen and the PDF writer back into "-").
Both are idempotent, so text that already follows the rules is unchanged.
"""

from __future__ import annotations

import re

from achatsdesk.domain.formatting import NARROW_NBSP, NBSP

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACES = "[ \u00a0\u202f]"

_BEFORE_TALL = re.compile(rf"(?:{_SPACES}*)([;!?])(?=\s|$|[»)\]]|[;!?])")  # ; ! ? -> narrow nbsp
# ": " but never "https://" or "10:30"; before a closing quote too, or the quote's own space
# would make the colon match on a second pass (prepare must be idempotent).
_BEFORE_COLON = re.compile(rf"(?:{_SPACES}*):(?=\s|$|[»)\]])")
_AFTER_OPEN_QUOTE = re.compile(rf"«{_SPACES}*")
_BEFORE_CLOSE_QUOTE = re.compile(rf"{_SPACES}*»")
# A number followed by a unit the documents use: group its thousands.
_GROUPED_NUMBER = re.compile(
    rf"(?<![\d,.\-/])(\d{{1,3}}(?:{_SPACES}\d{{3}})+|\d{{4,}})(,\d+)?(?={_SPACES}?(?:€|%|heures?\b|h\b|km\b))"
)
_EURO = re.compile(rf"(\d){_SPACES}?€(?:{_SPACES}?(HT|TTC)\b)?")
_PERCENT = re.compile(rf"(\d){_SPACES}?%")
_HOURS = re.compile(rf"(\d){_SPACES}(heures?\b|h\b|km\b)")
NB_HYPHEN = "\u2011"
_NUMERO = re.compile(
    rf"(?:\b|(?<=\s))([nN]°|[nN]os?\.|[aA]rt\.|(?<!\w)[aA]rticles?(?=(?:{_SPACES})+[LRD]\d))(?:{_SPACES})+(?=[\w(«])"
)
# L2113-11, R2152-7, D2171-4-1; n° 2020-105 (a law), n° 2024-134 (a decree)
_REFERENCE = re.compile(r"\b[LRD]\d{3,4}(?:[-\u2011]\d+)+\b|(?<=°\u00a0)\d{2,4}(?:[-\u2011]\d+)+\b")


def clean_text(text: object) -> str:
    """Any value as text Word can store: control characters, lone surrogates and U+FFFE/F removed."""
    if text is None:
        return ""
    value = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", value)


def _group(match: re.Match[str]) -> str:
    digits = re.sub(_SPACES, "", match.group(1))
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return NARROW_NBSP.join(groups) + (match.group(2) or "")


def _euro(match: re.Match[str]) -> str:
    suffix = f"{NBSP}{match.group(2)}" if match.group(2) else ""
    return f"{match.group(1)}{NBSP}€{suffix}"


_ENTITY_END = re.compile(r"&#?\w+$")


def _before_tall(match: re.Match[str]) -> str:
    # "&amp;" typed as text is not a sentence: leave its semicolon alone.
    if match.group(1) == ";" and _ENTITY_END.search(match.string, 0, match.start()):
        return match.group(0)
    return NARROW_NBSP + match.group(1)


def french(text: str) -> str:
    """French spacing rules, applied to text that is already clean."""
    if not text:
        return text
    text = _GROUPED_NUMBER.sub(_group, text)
    text = _EURO.sub(_euro, text)
    text = _PERCENT.sub(rf"\1{NBSP}%", text)
    text = _HOURS.sub(rf"\1{NBSP}\2", text)
    text = _NUMERO.sub(rf"\1{NBSP}", text)
    text = _REFERENCE.sub(lambda m: m.group(0).replace("-", NB_HYPHEN), text)
    text = _BEFORE_TALL.sub(_before_tall, text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _AFTER_OPEN_QUOTE.sub("«" + NBSP, text)
    text = _BEFORE_CLOSE_QUOTE.sub(NBSP + "»", text)
    return text


def prepare(text: object) -> str:
    """What every writer calls: clean, then French typography."""
    return french(clean_text(text))


def paragraphs(text: object) -> list[str]:
    """A clause body split into paragraphs: blank lines separate them, single newlines too."""
    lines = [line.strip() for line in prepare(text).split("\n")]
    return [line for line in lines if line]
