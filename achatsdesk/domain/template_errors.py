"""Jinja's syntax errors in French, with what to do ("unexpected end of template, expected
'end of print statement'" is what a buyer editing a clause used to read)."""

from __future__ import annotations

import re

_EXPECTED_NAMES = {
    "end of print statement": "« }} »",
    "end of statement block": "« %} »",
    "end of template": "la fin du texte",
    "name": "un nom de variable",
}
_BLOCK_END = re.compile(r"endif|endfor|elif|else")


def _token(text: str) -> str:
    text = text.strip().strip("'\"")
    return _EXPECTED_NAMES.get(text, f"« {text} »")


def french_syntax_message(message: str | None) -> str:
    """One French sentence for a Jinja TemplateSyntaxError message, saying what to correct."""
    text = (message or "").strip()
    if text.lower().startswith("unexpected end of template"):
        expected = re.search(r", expected (.+?)\.?$", text)
        missing = _token(expected.group(1)) if expected else "une fin de balise"
        if "Jinja was looking for" in text or _BLOCK_END.search(text):
            return ("le texte se termine alors qu'une condition ou une boucle n'est pas fermée : ajoutez "
                    "« {% endif %} » ou « {% endfor %} »")
        return f"le texte se termine alors qu'il manque {missing} : fermez chaque « {{{{ » par « }}}} »"
    found = re.match(r"expected token '(.+?)', got '(.+?)'", text)
    if found:
        return f"{_token(found.group(1))} était attendu à la place de {_token(found.group(2))} : corrigez la balise"
    found = re.match(r"unexpected '(.+?)'", text)
    if found:
        return f"{_token(found.group(1))} n'est pas attendu à cet endroit : vérifiez la balise qui le contient"
    found = re.match(r"Encountered unknown tag '(.+?)'", text)
    if found:
        return (f"la balise « {found.group(1)} » n'existe pas ou n'est pas à sa place : seules « if », « elif », "
                "« else », « endif », « for » et « endfor » sont permises")
    found = re.match(r"unexpected char '(.+?)'", text)
    if found:
        return f"le caractère « {found.group(1)} » n'est pas permis dans une balise : retirez-le"
    return ("une balise « {{ … }} » ou « {% … %} » n'est pas comprise : vérifiez qu'elle est bien ouverte et "
            "fermée, et qu'elle ne contient qu'un nom de variable, une condition ou une mise en forme")
