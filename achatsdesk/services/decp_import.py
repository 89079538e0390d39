"""Import of a buyer's published contracts: a DECP v2 JSON file (marches.marche[]) or the
consolidated tabular layout of data.gouv.fr ("DECP consolidées, format tabulaire":
one row per contract and holder, columns uid, id, acheteur_id, titulaire_id,
montant, dateNotification, procedure, dureeMois, offresRecues...).

Rows are checked one by one (a bad row is reported with its line and reason),
then every new row is written in one transaction; a row already imported (same
content) is counted, not doubled. The contracts feed the SPASER figures and, in
the catalogue, the contracts each inclusive supplier has won (matched by SIRET).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from achatsdesk.domain.decp_considerations import ENVIRONMENTAL, SOCIAL, Considerations
from achatsdesk.domain.plural import count_of, word_for
from achatsdesk.domain.spaser import ContractLine
from achatsdesk.errors import InputFileError
from achatsdesk.storage import execution_repository as repo
from achatsdesk.storage.database import Database
from achatsdesk.storage.models.execution import PublicContractRow

MAX_JSON_BYTES = 200 * 1024 * 1024
_NATURES = {"travaux": "travaux", "fournitures": "fournitures", "services": "services"}


@dataclass(frozen=True)
class RejectedContract:
    line: int  # the CSV line, or the position of the contract in the JSON file
    reason: str


@dataclass
class DecpImportOutcome:
    rows_read: int = 0
    imported: int = 0
    already_present: int = 0
    rejected: list[RejectedContract] = field(default_factory=list)
    inclusive_holders: int = 0  # rows whose holder is an inclusive supplier of the catalogue

    @property
    def summary(self) -> str:
        text = (f"{count_of(self.rows_read, 'ligne lue', 'lignes lues')} : "
                f"{count_of(self.imported, 'marché importé', 'marchés importés')}, "
                f"{self.already_present} déjà {word_for(self.already_present, 'présent')}, "
                f"{len(self.rejected)} {word_for(len(self.rejected), 'rejetée')} ; "
                f"{self.inclusive_holders} {word_for(self.inclusive_holders, 'attribué')} à une structure du catalogue.")
        return text


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any) -> date | None:
    text = _text(value)[:10]
    if not text:
        return None
    return datetime.strptime(text, "%Y-%m-%d").date()


def _int(value: Any) -> int | None:
    text = _text(value)
    return int(float(text)) if text else None


def _list(value: Any, key: str) -> list[str]:
    """Considerations as the JSON object, a JSON list or the tabular "a, b" text."""
    if isinstance(value, dict):
        value = value.get(key, [])
    if isinstance(value, str):
        value = [v.strip() for v in value.replace(";", ",").split(",")]
    return [str(v) for v in value or [] if str(v).strip()]


def _row(data: dict[str, Any], source: str) -> PublicContractRow:
    """A contract row from one flat record; ValueError with a French reason."""
    uid = _text(data.get("uid")) or (_text(data.get("acheteur_id")) + _text(data.get("id")))
    if not uid:
        raise ValueError("identifiant du marché (uid ou id) manquant")
    try:
        amount = Decimal(_text(data.get("montant")).replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"montant « {data.get('montant')} » illisible") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"montant « {data.get('montant')} » invalide")
    try:
        notified = _date(data.get("dateNotification"))
    except ValueError:
        raise ValueError(f"date de notification « {data.get('dateNotification')} » illisible (AAAA-MM-JJ)") from None
    if notified is None:
        raise ValueError("date de notification manquante")
    try:
        duration, offers = _int(data.get("dureeMois")), _int(data.get("offresRecues"))
    except ValueError:
        raise ValueError("durée ou nombre d'offres illisible") from None
    social = [c for c in _list(data.get("considerationsSociales"), "considerationSociale") if c in SOCIAL]
    env = [c for c in _list(data.get("considerationsEnvironnementales"), "considerationEnvironnementale")
           if c in ENVIRONMENTAL]
    return PublicContractRow(
        uid=uid[:80], buyer_siret=_text(data.get("acheteur_id"))[:14], buyer_name=_text(data.get("acheteur_nom")),
        holder_siret="".join(_text(data.get("titulaire_id")).split())[:14],
        nature=_NATURES.get(_text(data.get("type")).casefold(), _text(data.get("type")).casefold())[:16],
        cpv=_text(data.get("codeCPV")).split("-")[0][:10], object=_text(data.get("objet")),
        amount_cents=repo.cents(amount), notified_on=notified, procedure=_text(data.get("procedure")),
        duration_months=duration, offers_received=offers, social="; ".join(social), environmental="; ".join(env),
        source=source,
    )


def _records_from_json(path: Path) -> list[tuple[int, dict[str, Any]]]:
    if path.stat().st_size > MAX_JSON_BYTES:
        raise InputFileError(f"Le fichier « {path.name} » est trop volumineux pour un fichier DECP JSON.")
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputFileError(f"Le fichier « {path.name} » n'est pas un JSON lisible.",
                             hint="Choisissez un fichier DECP v2 (JSON) ou le format tabulaire (CSV).",
                             detail=repr(exc)) from exc
    marches = document.get("marches") if isinstance(document, dict) else None
    if isinstance(marches, dict):
        marches = marches.get("marche")
    if not isinstance(marches, list):
        raise InputFileError(f"Le fichier « {path.name} » n'a pas de liste « marches.marche » : ce n'est pas un "
                             "fichier DECP v2.", hint="Rien n'a été importé.")
    out = []
    for position, item in enumerate(marches, start=1):
        if not isinstance(item, dict):
            out.append((position, {}))
            continue
        holders = [t.get("titulaire", t) for t in item.get("titulaires") or [] if isinstance(t, dict)] or [{}]
        base = {**item, "acheteur_id": (item.get("acheteur") or {}).get("id", ""), "type": ""}
        base["uid"] = _text(base["acheteur_id"]) + _text(item.get("id"))
        for holder in holders:
            out.append((position, {**base, "titulaire_id": holder.get("id", "")}))
    return out


def _records_from_csv(path: Path) -> list[tuple[int, dict[str, Any]]]:
    from achatsdesk.catalogue.sniff import iter_table

    rows, _ = iter_table(path)
    headers: list[str] | None = None
    out = []
    for line, cells in rows:
        if headers is None:
            headers = [c.strip() for c in cells]
            required = {"montant", "dateNotification"}
            if not required <= set(headers) or not ({"uid", "id"} & set(headers)):
                raise InputFileError(
                    f"Le fichier « {path.name} » n'a pas les colonnes du format tabulaire DECP "
                    "(uid ou id, montant, dateNotification, titulaire_id…).",
                    hint="Colonnes trouvées : " + ", ".join(headers[:12]) + ". Rien n'a été importé.")
            continue
        if any(c.strip() for c in cells):
            out.append((line, dict(zip(headers, cells, strict=False))))
    return out


def import_decp(database: Database, path: Path) -> DecpImportOutcome:
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"Le fichier « {path} » est introuvable.", hint="Vérifiez le chemin puis réessayez.")
    is_json = path.suffix.lower() == ".json"
    records = _records_from_json(path) if is_json else _records_from_csv(path)
    outcome = DecpImportOutcome(rows_read=len(records))
    source = f"DECP {path.name}"
    occurrences: dict[str, int] = {}
    new_rows: list[PublicContractRow] = []
    with database.unit_of_work() as session:  # every new row, or none
        known = repo.known_contract_keys(session)
        for line, record in records:
            try:
                row = _row(record, source)
            except ValueError as exc:
                outcome.rejected.append(RejectedContract(line, str(exc)))
                continue
            digest = hashlib.sha1(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()
            occurrences[digest] = occurrences.get(digest, 0) + 1
            row.row_key = f"{digest}:{occurrences[digest]}"
            if row.row_key in known:
                outcome.already_present += 1
                continue
            new_rows.append(row)
        repo.add_contracts(session, new_rows)
        outcome.imported = len(new_rows)
        kinds = repo.catalogue_sirets(session, [r.holder_siret for r in new_rows if r.holder_siret])
        outcome.inclusive_holders = sum(1 for r in new_rows if r.holder_siret in kinds)
    return outcome


@dataclass(frozen=True)
class WonContract:
    buyer_name: str
    object: str
    amount_eur: Decimal
    notified_on: date | None
    procedure: str
    source: str


def contracts_won(database: Database, siret: str | None) -> list[WonContract]:
    """The published contracts a supplier has won (its SIRET), most recent first."""
    if not siret:
        return []
    with database.unit_of_work() as session:
        rows = repo.contracts_won_by(session, siret)
        return [WonContract(r.buyer_name, r.object or f"Marché {r.uid} (CPV {r.cpv})", repo.euros(r.amount_cents),
                            r.notified_on, r.procedure, r.source) for r in rows]


def published_lines(database: Database) -> list[ContractLine]:
    """The imported contracts as SPASER contract lines (holder kind from the catalogue)."""
    with database.unit_of_work() as session:
        rows = repo.public_contracts(session)
        kinds = repo.catalogue_sirets(session, [r.holder_siret for r in rows if r.holder_siret])
        lines = []
        for r in rows:
            if r.notified_on is None:
                continue
            social = tuple(c for c in SOCIAL if c in r.social.split("; "))
            env = tuple(c for c in ENVIRONMENTAL if c in r.environmental.split("; "))
            lines.append(ContractLine(
                source=r.source, contract_id=r.uid, service=r.buyer_name or r.buyer_siret, buyer_siret=r.buyer_siret,
                title=r.object, nature=r.nature, cpv=r.cpv, lot=1, holder_siret=r.holder_siret, holder_name="",
                holder_kind=kinds.get(r.holder_siret), amount_eur=repo.euros(r.amount_cents),
                notified_on=r.notified_on, procedure=r.procedure, duration_months=r.duration_months,
                offers_received=r.offers_received, considerations=Considerations(social, env),
            ))
    return lines


def count_published(database: Database) -> int:
    with database.unit_of_work() as session:
        return repo.count_contracts(session)


__all__ = ["DecpImportOutcome", "contracts_won", "count_published", "import_decp", "published_lines"]
