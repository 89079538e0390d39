"""The clause library: shipped clauses (read-only files) plus the user's own clauses.

Shipped clauses are read once per process from resources/clauses. User
clauses (new ones, edited copies of shipped ones, imported packs) live in the
database and are validated exactly like shipped ones before they are stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session

from achatsdesk.domain.clauses import (
    ClauseTemplate,
    validate_clause,
)
from achatsdesk.domain.text import fold, words
from achatsdesk.errors import AchatsdeskError, NotFoundError, ReferenceDataError, ValidationError
from achatsdesk.paths import resources_dir
from achatsdesk.services.clause_format import clause_from_dict, clause_to_dict
from achatsdesk.storage import user_clauses_repo
from achatsdesk.storage.database import Database
from achatsdesk.storage.models.clauses import UserClauseRow

SHIPPED = "livrée"
USER = "utilisateur"


@lru_cache(maxsize=4)
def shipped_clauses(directory: Path | None = None) -> tuple[ClauseTemplate, ...]:
    """Every clause file of the shipped library, checked; a broken file is a packaging error."""
    folder = directory or resources_dir() / "clauses"
    clauses = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            clause = replace(clause_from_dict(data, path.name), source=SHIPPED)
            validate_clause(clause)
        except (OSError, json.JSONDecodeError, AchatsdeskError) as exc:
            message = exc.user_message if isinstance(exc, AchatsdeskError) else str(exc)
            raise ReferenceDataError(
                f"La clause livrée « {path.name} » est illisible : {message}",
                hint="Réinstallez achatsdesk.",
            ) from exc
        if clause.id != path.stem:
            raise ReferenceDataError(f"La clause livrée « {path.name} » porte l'identifiant « {clause.id} ».")
        clauses.append(clause)
    return tuple(clauses)


@dataclass(frozen=True)
class ClauseFilter:
    text: str = ""
    family: str | None = None
    document: str | None = None
    kind: str | None = None
    sector: str | None = None  # a sector label ("nettoyage"), "" for general clauses, None for all
    source: str | None = None


def _searchable(clause: ClauseTemplate) -> str:
    return fold(" ".join((clause.id, clause.title, clause.summary, clause.legal_basis, clause.sector_label, clause.body)))


class ClauseLibrary:
    """Shipped plus user clauses; a plain object the CLI and the window both use."""

    def __init__(self, shipped: tuple[ClauseTemplate, ...], user: list[ClauseTemplate]) -> None:
        self._clauses = list(shipped) + sorted(user, key=lambda c: c.id)
        self._by_id = {c.id: c for c in self._clauses}
        self._text: dict[str, str] | None = None  # folded search text, made at the first text search

    def _search_text(self) -> dict[str, str]:
        # Folding the 260 clause bodies costs a few milliseconds: most loads (the indicators, the exports,
        # the suggestions) never search by text.
        if self._text is None:
            self._text = {c.id: _searchable(c) for c in self._clauses}
        return self._text

    def all(self) -> list[ClauseTemplate]:
        return list(self._clauses)

    def __len__(self) -> int:
        return len(self._clauses)

    def get(self, clause_id: str) -> ClauseTemplate:
        clause = self._by_id.get(clause_id)
        if clause is None:
            raise NotFoundError(
                f"La clause « {clause_id} » n'existe pas dans la bibliothèque.",
                hint="La commande « clauses list » donne les identifiants.",
            )
        return clause

    def find(self, clause_id: str) -> ClauseTemplate | None:
        return self._by_id.get(clause_id)

    def search(self, flt: ClauseFilter | None = None) -> list[ClauseTemplate]:
        flt = flt or ClauseFilter()
        tokens = words(flt.text) if flt.text.strip() else []
        text = self._search_text() if tokens else {}
        found = []
        for clause in self._clauses:
            if flt.family and clause.family != flt.family:
                continue
            if flt.document and clause.document != flt.document:
                continue
            if flt.kind and clause.kind != flt.kind:
                continue
            if flt.source and clause.source != flt.source:
                continue
            if flt.sector is not None and clause.sector_label != flt.sector:
                continue
            if tokens and not all(token in text[clause.id] for token in tokens):
                continue
            found.append(clause)
        return found

    def sector_labels(self) -> list[str]:
        return sorted({c.sector_label for c in self._clauses if c.sector_label})


def load_library(database: Database | None = None) -> ClauseLibrary:
    user = user_clauses(database) if database is not None else []
    return ClauseLibrary(shipped_clauses(), user)


# --- the user's own clauses -------------------------------------------------


def user_clauses(database: Database) -> list[ClauseTemplate]:
    with database.session() as session:
        return [_from_row(row) for row in user_clauses_repo.all_rows(session)]


def _from_row(row: UserClauseRow) -> ClauseTemplate:
    data = json.loads(row.data_json)
    return replace(clause_from_dict(data, row.clause_id, stored=True), source=USER, based_on=row.based_on)


def check_user_clause(clause: ClauseTemplate) -> ClauseTemplate:
    """Validated and marked as the user's; refuses ids of shipped clauses (they are read-only)."""
    if any(c.id == clause.id for c in shipped_clauses()):
        raise ValidationError(
            f"La clause « {clause.id} » porte l'identifiant d'une clause livrée, qui ne peut pas être modifiée.",
            hint="Donnez-lui un autre identifiant (par exemple en ajoutant « -perso »).",
        )
    clause = replace(clause, source=USER)
    validate_clause(clause)
    return clause


def store_user_clause(session: Session, clause: ClauseTemplate, origin: str) -> bool:
    """Insert or replace a checked user clause; True when it was new."""
    return user_clauses_repo.upsert(session, clause.id, title=clause.title, version=clause.version,
                                    based_on=clause.based_on, origin=origin,
                                    data_json=json.dumps(clause_to_dict(clause), ensure_ascii=False))


def save_user_clause(database: Database, clause: ClauseTemplate, origin: str = "saisie") -> ClauseTemplate:
    clause = check_user_clause(clause)
    with database.unit_of_work() as session:
        store_user_clause(session, clause, origin)
    return clause


def copy_clause(database: Database, clause_id: str, new_id: str | None = None) -> ClauseTemplate:
    """An editable copy of a clause (shipped or not), stored as the user's."""
    library = load_library(database)
    original = library.get(clause_id)
    target = new_id or _free_id(library, f"{original.id}-perso")
    if library.find(target) is not None:
        raise ValidationError(f"Une clause « {target} » existe déjà.", hint="Choisissez un autre identifiant.")
    copy = replace(
        original,
        id=target,
        title=f"{original.title} (copie)",
        version="1.0",
        source=USER,
        based_on=original.id if original.source == SHIPPED else original.based_on,
    )
    return save_user_clause(database, copy, origin="copie")


def blank_user_clause(database: Database) -> ClauseTemplate:
    """A new clause for the user to write (not stored until saved)."""
    library = load_library(database)
    return ClauseTemplate(
        id=_free_id(library, "ma-clause"),
        title="Nouvelle clause",
        family="condition-sociale",
        kind="condition-execution",
        document="CCAP",
        legal_basis="Code de la commande publique, art. L2112-2",
        applies_from=None,
        body="Article - Titre de l'article\n\nRédigez ici votre clause.\n",
        version="1.0",
        eforms={"BT-06": "none", "BT-774": [], "BT-775": []},
        source=USER,
    )


def _free_id(library: ClauseLibrary, base: str) -> str:
    return free_id({c.id for c in library.all()}, base)


def free_id(taken: set[str], base: str) -> str:
    """``base`` or ``base-2``, ``base-3``…: an id not in ``taken``, short enough for a clause id."""
    candidate, n = base[:76], 2
    while candidate in taken:
        candidate = f"{base[:73]}-{n}"
        n += 1
    return candidate


def delete_user_clause(database: Database, clause_id: str) -> None:
    with database.unit_of_work() as session:
        if not user_clauses_repo.delete(session, clause_id):
            raise NotFoundError(
                f"La clause « {clause_id} » n'est pas une de vos clauses : les clauses livrées ne peuvent pas être supprimées."
            )
