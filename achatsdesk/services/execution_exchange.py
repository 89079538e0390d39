"""The award and the execution follow-up inside the ``.achatsdesk`` exchange file.

They travel under the key "execution" of dossier.json (added within schema 1:
a file without it imports as before, an older achatsdesk ignores the key).
The import checks every award and figure before the caller's transaction writes
anything: a malformed block refuses the whole file.
"""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from achatsdesk.domain.award import Award
from achatsdesk.domain.execution import RealisedFigure, check_period, check_value
from achatsdesk.errors import AchatsdeskError, InputFileError
from achatsdesk.storage import execution_repository as repo


def execution_payload(session: Session, dossier_id: int) -> dict[str, Any] | None:
    awards = repo.awards(session, dossier_id)
    if not awards:
        return None
    figures = repo.figures(session, dossier_id)
    spend = repo.dossier_agec_spend(session, dossier_id)
    return {
        "status_before": repo.status_before_awards(session, dossier_id),
        "awards": [a.to_dict() for a in awards],
        "figures": [{"clause_id": f.clause_id, "lot": f.lot, "period": f.period, "value": float(f.value),
                     "reported_by": f.reported_by, "reported_at": f.reported_at.isoformat(), "source": f.source,
                     "beneficiaries": dict(f.beneficiaries)} for f in figures],
        "agec": [{"lot": s.lot, "year": s.year, "category": s.category, "total": s.total_cents / 100,
                  "reuse": s.reuse_cents / 100, "donation": s.donation_cents / 100,
                  "recycled": s.recycled_cents / 100} for s in spend],
    }


def read_execution(path: Path) -> dict[str, Any] | None:
    """The "execution" block of an exchange file already checked by read_exchange_file."""
    with zipfile.ZipFile(path) as archive:
        body = json.loads(archive.read("dossier.json").decode("utf-8"))
    block = body.get("execution") if isinstance(body, dict) else None
    if block is None:
        return None
    try:
        return _checked(block)
    except (AchatsdeskError, KeyError, TypeError, ValueError) as exc:
        message = exc.message if isinstance(exc, AchatsdeskError) else "son suivi d'exécution est mal formé."
        raise InputFileError(f"Le fichier « {Path(path).name} » ne peut pas être importé : {message}",
                             hint="Aucun dossier n'a été modifié.") from exc


def _checked(block: dict[str, Any]) -> dict[str, Any]:
    awards = [Award.from_dict(a) for a in block.get("awards") or []]
    figures = [RealisedFigure(str(f["clause_id"]), int(f["lot"]), check_period(f["period"]), check_value(f["value"]),
                              str(f.get("reported_by") or ""), datetime.fromisoformat(f["reported_at"]),
                              str(f.get("source") or "saisie"),
                              {str(k): int(v) for k, v in (f.get("beneficiaries") or {}).items()})
               for f in block.get("figures") or []]
    agec = [{k: (int(s[k]) if k in ("lot", "year", "category") else Decimal(str(s[k])))
             for k in ("lot", "year", "category", "total", "reuse", "donation", "recycled")}
            for s in block.get("agec") or []]
    return {"status_before": str(block.get("status_before") or "valide"), "awards": awards,
            "figures": figures, "agec": agec}


def restore_execution(session: Session, dossier_id: int, block: dict[str, Any] | None) -> None:
    if not block:
        return
    now = datetime.now().replace(microsecond=0)
    for award in block["awards"]:
        repo.put_award(session, dossier_id, award, block["status_before"], now)
    for figure in block["figures"]:
        repo.put_figure(session, dossier_id, figure)
    for s in block["agec"]:
        repo.put_agec_spend(session, dossier_id, s["lot"], s["year"], s["category"], s["total"], s["reuse"],
                            s["donation"], s["recycled"])
