"""The dossiers list read with plain sqlite3 is the one the service gives."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from achatsdesk.domain.dossier import Buyer, Dossier, DossierStatus, Lot
from achatsdesk.services import dossiers as svc
from achatsdesk.storage.dossier_summaries import count_dossiers, read_summaries


@pytest.mark.local_file_only("the quick start's plain sqlite3 reader of the local file; on the team server "
                              "the service's list (same SQL through SQLAlchemy) is tested by the other tests")
def test_plain_sqlite_reads_the_same_lines_as_the_service(database) -> None:
    # Made-up dossiers for the test.
    plain = svc.create_dossier(database, Dossier("Nettoyage des écoles", buyer=Buyer(name="Ville de Cergy"),
                                                 estimated_amount_eur=Decimal("215999.99"),
                                                 launch_date=date(2026, 4, 1)))
    with_lots = svc.create_dossier(database, Dossier("Espaces verts", reference="2026-EV-01", lots=[
        Lot("Tonte", amount_eur=Decimal("1000.50")), Lot("Élagage", amount_eur=Decimal("2000")),
    ]))
    svc.set_status(database, plain, DossierStatus.A_RELIRE.value)
    reader = sqlite3.connect(database.path)
    try:
        # Written out by hand (by id); the list shows the most recently changed first.
        expected = [
            (plain, "Nettoyage des écoles", "", "Ville de Cergy", DossierStatus.A_RELIRE, Decimal("215999.99"),
             date(2026, 4, 1)),
            (with_lots, "Espaces verts", "2026-EV-01", "", DossierStatus.BROUILLON, Decimal("3000.50"), None),
        ]

        def shown(lines):
            return sorted((s.id, s.title, s.reference, s.buyer_name, s.status, s.amount_eur, s.launch_date) for s in lines)

        read = read_summaries(reader)
        assert shown(read) == expected
        assert shown(svc.list_dossiers(database)) == expected
        assert [(s.updated_at, s.id) for s in read] == sorted(((s.updated_at, s.id) for s in read), reverse=True)
        lines = {line.id: line for line in read_summaries(reader)}
        assert lines[plain].amount_eur == Decimal("215999.99")
        assert lines[plain].launch_date == date(2026, 4, 1)
        assert lines[with_lots].amount_eur == Decimal("3000.50")  # the lots, not the dossier's estimate
        assert [s.id for s in read_summaries(reader, text="ecoles CERGY")] == [plain]
        assert [s.id for s in read_summaries(reader, text="2026-ev")] == [with_lots]
        assert [s.id for s in read_summaries(reader, status=DossierStatus.A_RELIRE.value)] == [plain]
        assert count_dossiers(reader) == 2 == svc.count_dossiers(database)
    finally:
        reader.close()


@pytest.mark.local_file_only("the quick start's plain sqlite3 reader of the local file")
def test_the_lazy_list_makes_the_same_lines_when_they_are_read(database) -> None:
    from achatsdesk.storage.dossier_summaries import LazySummaries

    for i in range(30):
        svc.create_dossier(database, Dossier(f"Dossier fictif {i}", estimated_amount_eur=Decimal(i * 100) + Decimal("0.5")))
    reader = sqlite3.connect(database.path)
    try:
        eager = read_summaries(reader)
        lazy = read_summaries(reader, lazy=True)
        assert isinstance(lazy, LazySummaries) and not isinstance(eager, LazySummaries)
        assert len(lazy) == len(eager) == 30
        assert lazy[0] == eager[0] and lazy[-1] == eager[-1] and lazy[3:6] == eager[3:6]
        assert list(lazy) == eager
        with pytest.raises(IndexError):
            lazy[30]
        # Words filter every line at once: a plain list.
        assert [s.title for s in read_summaries(reader, text="fictif 29", lazy=True)] == ["Dossier fictif 29"]
    finally:
        reader.close()
