"""A save writes the dossier row in one statement and rewrites only the parts that changed: each
statement is a round trip to the team server. Runs on both engines."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import event

from achatsdesk.domain.dossier import Lot
from achatsdesk.services import dossiers as svc


@contextmanager
def statements(database):
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many) -> None:
        seen.append(" ".join(statement.split()).upper())

    event.listen(database.shared_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.shared_engine, "before_cursor_execute", record)


def writes(seen: list[str]) -> list[str]:
    return [s for s in seen if s.startswith(("INSERT", "UPDATE", "DELETE"))]


def test_a_title_edit_writes_one_update_and_no_child_rows(database, example_dossier):
    dossier_id = svc.create_dossier(database, example_dossier)
    stored = svc.get_dossier(database, dossier_id)
    stored.dossier.title = "Nettoyage des collèges de l'Est"
    with statements(database) as seen:
        assert svc.save_dossier(database, dossier_id, stored.dossier, stored.revision) == stored.revision + 1
    assert [s.split()[0:2] for s in writes(seen)] == [["UPDATE", "DOSSIER"]]
    again = svc.get_dossier(database, dossier_id)
    assert again.dossier.title == "Nettoyage des collèges de l'Est"
    assert again.dossier.items == stored.dossier.items and again.dossier.cpv == stored.dossier.cpv
    assert again.dossier.clauses == stored.dossier.clauses


def test_a_lot_edit_rewrites_the_lots_only_and_keeps_everything(database, example_dossier):
    dossier_id = svc.create_dossier(database, example_dossier)
    stored = svc.get_dossier(database, dossier_id)
    stored.dossier.lots = [Lot("Collèges de l'Est", "90911200-8", Decimal("700000")),
                           Lot("Collèges de l'Ouest", None, Decimal("650000"))]
    with statements(database) as seen:
        svc.save_dossier(database, dossier_id, stored.dossier, stored.revision)
    tables = {s.split()[2] if s.startswith("DELETE") else s.split()[1] if s.startswith("UPDATE") else s.split()[2]
              for s in writes(seen)}
    assert tables == {"DOSSIER", "DOSSIER_LOT"}
    again = svc.get_dossier(database, dossier_id).dossier
    assert again.lots == stored.dossier.lots and again.items == stored.dossier.items
