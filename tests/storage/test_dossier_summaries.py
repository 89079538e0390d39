"""The dossiers list read with plain sqlite3 is the one the service gives."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

from achatsdesk.domain.dossier import Buyer, Dossier, DossierStatus, Lot
from achatsdesk.services import dossiers as svc
from achatsdesk.storage.dossier_summaries import count_dossiers, read_summaries


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
        assert read_summaries(reader) == svc.list_dossiers(database)
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
