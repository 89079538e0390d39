"""Kinds of inclusive and ESS structures, their groups, and the labels files use for them."""

from __future__ import annotations

from achatsdesk.domain.text import fold

KIND_LABELS: dict[str, str] = {
    "ACI": "Atelier et chantier d'insertion",
    "EI": "Entreprise d'insertion",
    "ETTI": "Entreprise de travail temporaire d'insertion",
    "AI": "Association intermédiaire",
    "EITI": "Entreprise d'insertion par le travail indépendant",
    "GEIQ": "Groupement d'employeurs pour l'insertion et la qualification",
    "SEP": "Produits et services réalisés en prison",
    "EA": "Entreprise adaptée",
    "EATT": "Entreprise adaptée de travail temporaire",
    "ESAT": "Établissement et service d'aide par le travail",
    "ESS": "Entreprise de l'économie sociale et solidaire",
}

# The filter chips of the catalogue: a group stands for several kinds.
KIND_GROUPS: dict[str, tuple[str, ...]] = {
    "Insertion (SIAE)": ("ACI", "EI", "ETTI", "AI", "EITI"),
    "Handicap (EA, ESAT)": ("EA", "EATT", "ESAT"),
    "GEIQ": ("GEIQ",),
    "Prison (SEP)": ("SEP",),
    "ESS": ("ESS",),
}

_BY_FOLDED_LABEL = {fold(label): code for code, label in KIND_LABELS.items()}
_BY_FOLDED_LABEL[fold("Atelier chantier d'insertion")] = "ACI"
_BY_FOLDED_LABEL[fold("Etablissement et service d'aide par le travail")] = "ESAT"


def kind_from_text(value: str) -> str | None:
    """"ACI", "aci", "Atelier chantier d'insertion (ACI)" -> "ACI"; None when unknown."""
    text = value.strip()
    if not text:
        return None
    if text.upper() in KIND_LABELS:
        return text.upper()
    if text.endswith(")") and "(" in text:
        code = text[text.rindex("(") + 1 : -1].strip().upper()
        if code in KIND_LABELS:
            return code
        text = text[: text.rindex("(")].strip()
    return _BY_FOLDED_LABEL.get(fold(text))


def expand_kinds(kinds_or_groups: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Kind codes and group names -> the kind codes they stand for (order kept, no repeats)."""
    found: list[str] = []
    for item in kinds_or_groups:
        codes = KIND_GROUPS.get(item) or (kind_from_text(item),)
        for code in codes:
            if code and code not in found:
                found.append(code)
    return tuple(found)
