"""Dossier use cases against a real migrated database."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import text

from achatsdesk.domain.checklist import ItemState, ItemStatus
from achatsdesk.domain.dossier import ClauseSelection, Dossier, DossierStatus, Lot
from achatsdesk.errors import NotFoundError, StorageError, ValidationError
from achatsdesk.services import dossiers as svc
from tests.conftest import EXAMPLE_DOSSIER as EXAMPLE
from tests.dossier_edits import answer, comment, edit, save


def example() -> Dossier:
    return Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))


def test_create_get_save_list_delete(database):
    dossier_id = svc.create_dossier(database, example())
    stored = svc.get_dossier(database, dossier_id)
    assert stored.dossier.title == "Nettoyage des collèges" and stored.revision == 1 and stored.dossier.uid
    assert stored.dossier.estimated_amount_eur == 1_200_000 and stored.dossier.buyer.annual_purchases_eur == 250_000_000

    changed = stored.dossier
    changed.lots = [Lot("Collèges de l'est", "90911200-8", 700_000), Lot("Collèges de l'ouest", None, 650_000)]
    changed.cpv.append("90919200-4")
    assert svc.save_dossier(database, dossier_id, changed, 1) == 2
    again = svc.get_dossier(database, dossier_id)
    assert again.dossier.lots == changed.lots and again.dossier.cpv == ["90911200-8", "90919200-4"]
    with pytest.raises(StorageError, match="a été modifié par .+ le .+ depuis que vous l.avez ouvert"):
        svc.save_dossier(database, dossier_id, changed, 1)

    rows = svc.list_dossiers(database)
    assert [(r.id, r.amount_eur) for r in rows] == [(dossier_id, 1_350_000)]
    assert svc.list_dossiers(database, text="colleges")  # accents folded
    assert svc.list_dossiers(database, text="voirie") == []
    assert svc.list_dossiers(database, status="valide") == []
    svc.delete_dossier(database, dossier_id)
    with pytest.raises(NotFoundError):
        svc.get_dossier(database, dossier_id)
    with database.shared_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM dossier_cpv")).scalar() == 0  # cascade


def test_money_is_stored_in_cents(database):
    dossier_id = svc.create_dossier(database, example())
    with database.shared_engine.connect() as conn:
        cents = conn.execute(text("SELECT estimated_amount_cents FROM dossier WHERE id = :id"), {"id": dossier_id}).scalar()
    assert cents == 120_000_000


def test_item_status_with_and_without_justification(database):
    dossier_id = svc.create_dossier(database, example())
    with pytest.raises(ValidationError, match="justification"):
        answer(database, dossier_id, "env-condition", "sans_objet", "")
    assert "env-condition" not in svc.get_dossier(database, dossier_id).dossier.items
    assert svc.get_dossier(database, dossier_id).revision == 1  # refused: nothing written
    answer(database, dossier_id, "env-condition", "sans_objet", "Prestation sans incidence environnementale")
    answer(database, dossier_id, "social-condition", "fait")
    comment(database, dossier_id, "social-condition", "Clause d'insertion bien dimensionnée")
    items = svc.get_dossier(database, dossier_id).dossier.items
    assert items["env-condition"].status == ItemStatus.SANS_OBJET
    assert items["social-condition"].comment == "Clause d'insertion bien dimensionnée"
    with pytest.raises(ValidationError, match="ne figure pas"):
        answer(database, dossier_id, "env-egalim", "fait")


def test_an_answer_stored_before_is_not_checked_again(database):
    """Only the answers a save changes are checked: an old answer never blocks a later save."""
    dossier = example()
    dossier.items["env-condition"] = ItemState(ItemStatus.SANS_OBJET, "")  # written by an older version
    dossier_id = svc.create_dossier(database, dossier)
    edit(database, dossier_id, lambda d: setattr(d, "title", "Nettoyage des collèges 2027"))
    assert svc.get_dossier(database, dossier_id).dossier.title == "Nettoyage des collèges 2027"


def test_clause_selections(database):
    dossier_id = svc.create_dossier(database, example())
    chosen = [ClauseSelection("insertion", "3", {"heures": 1800, "taux": 0.05}), ClauseSelection("env-produits", "1", {}, lot=None),
              ClauseSelection("insertion", "3", {"heures": 600}, lot=1)]
    assert edit(database, dossier_id, lambda d: setattr(d, "clauses", chosen)) == 2
    clauses = svc.get_dossier(database, dossier_id).dossier.clauses
    assert [(c.clause_id, c.version, c.variables, c.lot) for c in clauses] == [
        ("insertion", "3", {"heures": 1800, "taux": 0.05}, None), ("env-produits", "1", {}, None),
        ("insertion", "3", {"heures": 600}, 1)]
    edit(database, dossier_id, lambda d: setattr(d, "clauses", [c for c in d.clauses if c.clause_id != "insertion"]))
    assert [c.clause_id for c in svc.get_dossier(database, dossier_id).dossier.clauses] == ["env-produits"]


def test_a_stale_save_is_refused_and_loses_nothing(database):
    """Two windows (two Database objects on the same file): the second save from the same
    revision is refused, the first writer's answer stays, and the loser's version can be kept."""
    from achatsdesk.errors import StaleDossierError
    from achatsdesk.storage.database import Database

    dossier_id = svc.create_dossier(database, example())
    window_a, window_b = Database(database.path, database.server), Database(database.path, database.server)
    try:
        copy_a, copy_b = svc.get_dossier(window_a, dossier_id), svc.get_dossier(window_b, dossier_id)
        copy_b.dossier.items["social-condition"] = ItemState(ItemStatus.FAIT)
        assert svc.save_dossier(window_b, dossier_id, copy_b.dossier, copy_b.revision) == 2
        copy_a.dossier.title = "Titre changé dans la fenêtre A"
        with pytest.raises(StaleDossierError) as refused:
            svc.save_dossier(window_a, dossier_id, copy_a.dossier, copy_a.revision)
        assert "autre fenêtre" in refused.value.user_message and "copie" in refused.value.user_message
        stored = svc.get_dossier(database, dossier_id)
        assert stored.revision == 2 and stored.dossier.title == "Nettoyage des collèges"
        assert stored.dossier.items["social-condition"].status == ItemStatus.FAIT  # B's answer not erased
        copy_id = svc.keep_copy(window_a, copy_a.dossier)
        kept = svc.get_dossier(database, copy_id).dossier
        assert kept.title == "Titre changé dans la fenêtre A (ma copie)" and kept.uid != stored.dossier.uid
        assert kept.status == DossierStatus.BROUILLON and svc.count_dossiers(database) == 2
    finally:
        window_a.dispose()
        window_b.dispose()


def test_review_history_is_kept(database):
    dossier_id = svc.create_dossier(database, example())
    with pytest.raises(ValidationError):
        svc.record_review(database, dossier_id, "a_reprendre", "Responsable achats", "")
    svc.record_review(database, dossier_id, "a_reprendre", "Responsable achats", "Ajouter le critère", datetime(2026, 9, 1, 9))
    svc.record_review(database, dossier_id, "valide", "Responsable achats", "", datetime(2026, 9, 3, 9))
    stored = svc.get_dossier(database, dossier_id)
    assert [r.decision.value for r in stored.dossier.reviews] == ["a_reprendre", "valide"]
    assert stored.dossier.status == DossierStatus.VALIDE
    svc.save_dossier(database, dossier_id, stored.dossier, stored.revision)  # a later save does not duplicate the history
    assert len(svc.get_dossier(database, dossier_id).dossier.reviews) == 2


def test_check_dossier_shape_for_the_example():
    document = svc.check_dossier(example())
    assert document["procedure"]["id"] == "formalisee" and document["procedure"]["threshold_eur"] == 216_000
    statuses = {o["id"]: o["status"] for o in document["obligations"]}
    for rule in ("env-execution-condition", "env-award-criterion", "social-execution-condition"):
        assert statuses[rule] == "obligatoire"
    for o in document["obligations"]:
        assert set(o) >= {"id", "status", "title", "legal_basis", "applies_from", "explanation"}
    assert [s["step"] for s in document["checklist"]][0] == "besoin"
    assert all(set(i) >= {"id", "title", "status"} for s in document["checklist"] for i in s["items"])


def test_schema_of_the_migration_matches_the_models(database):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from achatsdesk.storage.models import Base

    with database.shared_engine.connect() as conn:  # the team server's schema too, in team mode
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "dossier" in repr(d)] == []


def test_launch_date_and_nullable_fields_survive(database):
    dossier = Dossier("Minimal (fictif)")
    dossier_id = svc.create_dossier(database, dossier)
    stored = svc.get_dossier(database, dossier_id).dossier
    assert stored.launch_date is None and stored.place_insee is None and stored.buyer.annual_purchases_eur is None
    stored.launch_date = date(2026, 8, 21)
    save(database, dossier_id, stored)
    assert svc.get_dossier(database, dossier_id).dossier.launch_date == date(2026, 8, 21)


def test_cents_survive_storage_and_the_list(database):
    from decimal import Decimal

    dossier = example()
    dossier.estimated_amount_eur = Decimal("215999.99")
    dossier.buyer.annual_purchases_eur = Decimal("50000000.01")
    dossier_id = svc.create_dossier(database, dossier)
    stored = svc.get_dossier(database, dossier_id).dossier
    assert stored.estimated_amount_eur == Decimal("215999.99")
    assert stored.buyer.annual_purchases_eur == Decimal("50000000.01")
    assert svc.check_dossier(stored)["procedure"]["id"] == "mapa"
    stored.lots = [Lot("A", None, Decimal("0.01")), Lot("B", None, Decimal("100.10"))]
    save(database, dossier_id, stored)
    assert svc.get_dossier(database, dossier_id).dossier.lots[1].amount_eur == Decimal("100.10")
    assert svc.list_dossiers(database)[0].amount_eur == Decimal("100.11")


def test_service_sends_a_changed_validated_dossier_back_to_draft(database):
    example_id = svc.create_dossier(database, example())
    svc.record_review(database, example_id, "valide", "Chef de service (fictif)")
    comment(database, example_id, "env-condition", "Bien")  # a comment is no change of content
    assert svc.get_dossier(database, example_id).dossier.status == DossierStatus.VALIDE
    edit(database, example_id, lambda d: d.clauses.append(ClauseSelection("condition-env", "1", {})))
    stored = svc.get_dossier(database, example_id).dossier
    assert stored.status == DossierStatus.BROUILLON and len(stored.reviews) == 1


def test_a_save_from_another_process_makes_this_copy_stale(database):
    """Two processes through the services layer: the other one's save wins, this one's is refused."""
    import os
    import subprocess
    import sys
    import textwrap

    from achatsdesk.errors import StaleDossierError

    dossier_id = svc.create_dossier(database, example())
    here = svc.get_dossier(database, dossier_id)
    other = textwrap.dedent("""
        import sys
        from pathlib import Path
        from achatsdesk.domain.checklist import ItemState, ItemStatus
        from achatsdesk.services import dossiers
        from achatsdesk.paths import app_paths
        from achatsdesk.services.team_connection import configured_address
        from achatsdesk.storage.database import Database

        # The same engines as the test: the team server of ACHATSDESK_DATABASE_URL when it is set.
        database = Database(Path(sys.argv[1]), configured_address(app_paths()))
        stored = dossiers.get_dossier(database, int(sys.argv[2]))
        stored.dossier.items["social-condition"] = ItemState(ItemStatus.FAIT, comment="réponse de l'autre processus")
        print(dossiers.save_dossier(database, int(sys.argv[2]), stored.dossier, stored.revision))
    """)
    done = subprocess.run([sys.executable, "-c", other, str(database.path), str(dossier_id)], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": os.getcwd()}, timeout=60, check=True)
    assert done.stdout.strip() == "2"
    here.dossier.title = "Titre de ce processus"
    with pytest.raises(StaleDossierError):
        svc.save_dossier(database, dossier_id, here.dossier, here.revision)
    stored = svc.get_dossier(database, dossier_id)
    assert stored.dossier.items["social-condition"].comment == "réponse de l'autre processus"
    assert stored.dossier.title == "Nettoyage des collèges" and stored.revision == 2


def test_a_save_landing_between_the_check_and_the_write_is_not_overwritten(database):
    """The race: another window saves after this save has read the revision but before it writes.
    The guarded write sees it: refused, the other window's work intact."""
    from sqlalchemy import event

    from achatsdesk.errors import StaleDossierError
    from achatsdesk.storage.database import Database

    dossier_id = svc.create_dossier(database, example())
    window_a, window_b = Database(database.path, database.server), Database(database.path, database.server)
    try:
        copy_a, copy_b = svc.get_dossier(window_a, dossier_id), svc.get_dossier(window_b, dossier_id)
        copy_b.dossier.title = "Écrit par la fenêtre B"
        raced = []

        def other_window_saves_now(_conn, _cursor, statement, *_args) -> None:
            if statement.startswith("UPDATE dossier") and not raced:
                raced.append(svc.save_dossier(window_b, dossier_id, copy_b.dossier, copy_b.revision))

        event.listen(window_a.shared_engine, "before_cursor_execute", other_window_saves_now)
        copy_a.dossier.title = "Écrit par la fenêtre A"
        with pytest.raises(StaleDossierError):
            svc.save_dossier(window_a, dossier_id, copy_a.dossier, copy_a.revision)
        assert raced == [2]
        stored = svc.get_dossier(database, dossier_id)
        assert stored.dossier.title == "Écrit par la fenêtre B" and stored.revision == 2
    finally:
        window_a.dispose()
        window_b.dispose()


def test_a_status_change_in_between_makes_the_editor_copy_stale(database):
    from achatsdesk.errors import StaleDossierError

    dossier_id = svc.create_dossier(database, example())
    copy = svc.get_dossier(database, dossier_id)
    svc.set_status(database, dossier_id, "a_relire")  # sent for review from the list meanwhile
    with pytest.raises(StaleDossierError):
        svc.save_dossier(database, dossier_id, copy.dossier, copy.revision)
    assert svc.get_dossier(database, dossier_id).dossier.status == DossierStatus.A_RELIRE
