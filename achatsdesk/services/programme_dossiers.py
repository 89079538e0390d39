"""Turn chosen programme lines into draft dossiers, each linked back to its line.

The link is the dossier's own ``uid``: derived from the line's identity
(service, object, launch year; see programme_lines.line_uid), it finds the
dossier a previous run created, so a second run adds nothing. No new column:
the uid already travels with the dossier through export and import.
All the new dossiers are written in one transaction (all or none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from achatsdesk.domain.plural import count_of, word_for
from achatsdesk.errors import ValidationError
from achatsdesk.services.dossiers import insert_dossier
from achatsdesk.services.programme import LineJudgement, ProgrammeResult
from achatsdesk.storage import dossiers_repo


@dataclass(frozen=True)
class CreatedDossier:
    line: int
    title: str
    dossier_id: int
    created: bool  # False: the dossier of this line already existed


@dataclass(frozen=True)
class CreationReport:
    dossiers: tuple[CreatedDossier, ...]
    refused: tuple[tuple[int, str], ...]  # (line, reason) for lines that cannot become a dossier

    @property
    def created(self) -> list[CreatedDossier]:
        return [d for d in self.dossiers if d.created]

    @property
    def existing(self) -> list[CreatedDossier]:
        return [d for d in self.dossiers if not d.created]

    def summary(self) -> str:
        created, existing, refused = len(self.created), len(self.existing), len(self.refused)
        parts = [count_of(created, "dossier créé", "dossiers créés")]
        if self.existing:
            parts.append(f"{existing} {word_for(existing, 'déjà créé', 'déjà créés')} lors d'un passage précédent "
                         f"({word_for(existing, 'inchangé')})")
        if self.refused:
            parts.append(count_of(refused, "ligne illisible non reprise", "lignes illisibles non reprises"))
        return " ; ".join(parts) + "."


def parse_line_numbers(text: str) -> list[int]:
    """ "3,7-9" -> [3, 7, 8, 9]; French ValidationError otherwise."""
    numbers: list[int] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)\s*(?:-\s*(\d+))?", part)
        if not match:
            raise ValidationError(f"« {part} » n'est pas un numéro de ligne : écrivez par exemple 3,7-9.")
        start, end = int(match[1]), int(match[2] or match[1])
        if end < start or end - start > 100_000:
            raise ValidationError(f"Plage de lignes « {part} » incorrecte : écrivez la plus petite d'abord (7-9).")
        numbers.extend(n for n in range(start, end + 1) if n not in numbers)
    if not numbers:
        raise ValidationError("Aucune ligne indiquée : écrivez par exemple --lines 3,7-9.")
    return numbers


def create_dossiers(database, result: ProgrammeResult, line_numbers: list[int]) -> CreationReport:
    chosen: list[LineJudgement] = [result.line(n) for n in line_numbers]
    refused = tuple((j.line, j.error or "ligne illisible") for j in chosen if j.dossier is None)
    dossiers: list[CreatedDossier] = []
    with database.unit_of_work() as session:
        for judged in chosen:
            purchase = judged.purchase
            if purchase.dossier is None:
                continue
            existing = dossiers_repo.find_id_by_uid(session, purchase.uid)
            if existing is not None:
                dossiers.append(CreatedDossier(judged.line, judged.title, existing, False))
                continue
            dossier = replace(purchase.dossier, uid=purchase.uid, lots=list(purchase.dossier.lots),
                              cpv=list(purchase.dossier.cpv))
            dossiers.append(CreatedDossier(judged.line, judged.title, insert_dossier(session, dossier), True))
    return CreationReport(tuple(dossiers), refused)
