"""Killing the process in the middle of saves never damages a saved dossier."""

from __future__ import annotations

import textwrap

from achatsdesk.services import dossiers as svc
from tests.sigkill import assert_intact, kill_while_writing

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from achatsdesk.domain.checklist import ItemState, ItemStatus
    from achatsdesk.domain.dossier import Dossier, Lot
    from achatsdesk.services.dossiers import save_dossier
    from achatsdesk.paths import app_paths
    from achatsdesk.services.team_connection import configured_address
    from achatsdesk.storage.database import Database

    from achatsdesk.services.dossier_rules import analyse

    # The test's engines: the team server too when ACHATSDESK_DATABASE_URL is set (killed mid-transaction).
    database = Database(Path(sys.argv[1]), configured_address(app_paths()))
    dossier_id = int(sys.argv[2])

    n = 0
    revision = 1
    while True:
        n += 1
        dossier = Dossier(title=f"rev {n}", estimated_amount_eur=n, cpv=["90911200-8"] * (1 + n % 3),
                          lots=[Lot(f"lot {n}-{i}", None, n) for i in range(1 + n % 4)])
        # real items of the dossier's checklist: a save refuses answers to items it does not list
        item_ids = [i.id for s in analyse(dossier).steps for i in s.items]
        dossier.items = {item_id: ItemState(ItemStatus.FAIT, f"motif de la révision {n}") for item_id in item_ids}
        revision = save_dossier(database, dossier_id, dossier, revision)
        if n == 3:
            print("ready", flush=True)
""")


def test_sigkill_during_saves_leaves_a_consistent_dossier(database, tmp_path):
    from achatsdesk.domain.dossier import Dossier

    dossier_id = svc.create_dossier(database, Dossier("Dossier à protéger (fictif)", estimated_amount_eur=7))
    database.dispose()
    kill_while_writing(WRITER, [str(database.path), str(dossier_id)], tmp_path)
    assert_intact(database.path)
    stored = svc.get_dossier(database, dossier_id)
    n = int(stored.dossier.title.split()[1])
    assert n >= 3  # the saves made before the kill are there
    dossier = stored.dossier
    # all parts of the dossier come from the same save: never a mix of two
    assert dossier.estimated_amount_eur == n
    assert len(dossier.cpv) == 1 + n % 3 and len(dossier.lots) == 1 + n % 4
    assert {s.justification for s in dossier.items.values()} == {f"motif de la révision {n}"} and len(dossier.items) >= 10
    assert stored.revision == n + 1
