"""The DECP v2 JSON of awarded contracts (schema_decp_v2.0.3.json, arrêtés du 22 décembre 2022).

What achatsdesk knows fills the fields (buyer, object, CPV, place, holder,
amount, dates, procedure, duration, offers, considerations). What it does not
record (technique, execution terms, CCAG, advance, price form...) gets the
usual value and is listed in ``DEFAULTED`` so the buyer checks it before
publishing: the export says which fields are "à vérifier".
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from achatsdesk.documents.safe_output import write_atomically
from achatsdesk.domain.spaser import ContractLine

CCAG_BY_NATURE = {"travaux": "Travaux", "fournitures": "Fournitures courantes et services",
                  "services": "Fournitures courantes et services"}
DEFAULTED = {
    "techniques": "technique d'achat « Sans objet »",
    "modalitesExecution": "modalité d'exécution « Sans objet »",
    "marcheInnovant": "marché non innovant",
    "ccag": "CCAG déduit de la nature du marché",
    "attributionAvance": "pas d'avance",
    "typeGroupementOperateurs": "pas de groupement",
    "typesPrix": "prix « Définitif révisable »",
    "formePrix": "prix « Forfaitaire »",
    "sousTraitanceDeclaree": "pas de sous-traitance déclarée",
}
_ID_CHARS = re.compile(r"[^A-Za-z0-9_\-./]")


def contract_id(reference: str, dossier_id: int, lot: int) -> str:
    """The buyer's internal number, 1 to 16 characters: the reference and the lot."""
    base = _ID_CHARS.sub("", reference) or f"AD{dossier_id}"
    suffix = f"-L{lot}"
    return base[: 16 - len(suffix)] + suffix


def marche(line: ContractLine, published_on: date) -> dict[str, Any]:
    return {
        "id": line.contract_id,
        "acheteur": {"id": line.buyer_siret},
        "nature": "Marché",
        "objet": line.title[:1000],
        "codeCPV": line.cpv,
        "techniques": {"technique": ["Sans objet"]},
        "modalitesExecution": {"modaliteExecution": ["Sans objet"]},
        "marcheInnovant": False,
        "ccag": CCAG_BY_NATURE.get(line.nature, "Pas de CCAG"),
        "offresRecues": line.offers_received,
        "attributionAvance": False,
        "typeGroupementOperateurs": "Pas de groupement",
        "procedure": line.procedure,
        "lieuExecution": {"code": line.place_insee, "typeCode": "Code commune"},
        "dureeMois": line.duration_months,
        "dateNotification": line.notified_on.isoformat(),
        "datePublicationDonnees": published_on.isoformat(),
        "montant": float(line.amount_eur),
        "typesPrix": {"typePrix": ["Définitif révisable"]},
        "formePrix": "Forfaitaire",
        "sousTraitanceDeclaree": False,
        "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": line.holder_siret}}],
        "considerationsSociales": {"considerationSociale": line.considerations.social_or_none},
        "considerationsEnvironnementales": {
            "considerationEnvironnementale": line.considerations.environmental_or_none},
    }


def decp_document(lines: Iterable[ContractLine], published_on: date) -> dict[str, Any]:
    return {"marches": {"marche": [marche(line, published_on) for line in lines]}}


def write_decp(document: dict[str, Any], destination: str | os.PathLike[str]) -> Path:
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return write_atomically(destination, lambda temp: Path(temp).write_text(text, encoding="utf-8"))
