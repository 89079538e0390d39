"""Dossier use cases against a real migrated database."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from achatsdesk.domain.checklist import ItemStatus
from achatsdesk.domain.dossier import ClauseSelection, Dossier, DossierStatus, Lot
from achatsdesk.errors import NotFoundError, StorageError, ValidationError
from achatsdesk.services import dossiers as svc
from tests.conftest import EXAMPLE_DOSSIER as EXAMPLE


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
    assert svc.save_dossier(database, dossier_id, changed, expected_revision=1) == 2
    again = svc.get_dossier(database, dossier_id)
    assert again.dossier.lots == changed.lots and again.dossier.cpv == ["90911200-8", "90919200-4"]
    with pytest.raises(StorageError, match="modifié ailleurs"):
        svc.save_dossier(database, dossier_id, changed, expected_revision=1)

    rows = svc.list_dossiers(database)
    assert [(r.id, r.amount_eur) for r in rows] == [(dossier_id, 1_350_000)]
    assert svc.list_dossiers(database, text="colleges")  # accents folded
    assert svc.list_dossiers(database, text="voirie") == []
    assert svc.list_dossiers(database, status="valide") == []
    svc.delete_dossier(database, dossier_id)
    with pytest.raises(NotFoundError):
        svc.get_dossier(database, dossier_id)
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM dossier_cpv").scalar() == 0  # cascade


def test_money_is_stored_in_cents(database):
    dossier_id = svc.create_dossier(database, example())
    with database.engine.connect() as conn:
        cents = conn.exec_driver_sql("SELECT estimated_amount_cents FROM dossier WHERE id = ?", (dossier_id,)).scalar()
    assert cents == 120_000_000


def test_item_status_with_and_without_justification(database):
    dossier_id = svc.create_dossier(database, example())
    with pytest.raises(ValidationError, match="justification"):
        svc.set_item_status(database, dossier_id, "env-condition", "sans_objet", "")
    assert "env-condition" not in svc.get_dossier(database, dossier_id).dossier.items
    svc.set_item_status(database, dossier_id, "env-condition", "sans_objet", "Prestation sans incidence environnementale")
    svc.set_item_status(database, dossier_id, "social-condition", "fait")
    svc.set_item_comment(database, dossier_id, "social-condition", "Clause d'insertion bien dimensionnée")
    items = svc.get_dossier(database, dossier_id).dossier.items
    assert items["env-condition"].status == ItemStatus.SANS_OBJET
    assert items["social-condition"].comment == "Clause d'insertion bien dimensionnée"
    with pytest.raises(ValidationError, match="ne figure pas"):
        svc.set_item_status(database, dossier_id, "env-egalim", "fait")


def test_clause_selections(database):
    dossier_id = svc.create_dossier(database, example())
    assert svc.add_clause(database, dossier_id, ClauseSelection("insertion", "2", {"heures": 1600})) == 0
    assert svc.add_clause(database, dossier_id, ClauseSelection("env-produits", "1", {}, lot=None)) == 1
    assert svc.add_clause(database, dossier_id, ClauseSelection("insertion", "3", {"heures": 1700})) == 0  # replaced
    svc.update_clause_variables(database, dossier_id, "insertion", {"heures": 1800, "taux": 0.05})
    clauses = svc.list_clauses(database, dossier_id)
    assert [(c.clause_id, c.version, c.variables) for c in clauses] == [
        ("insertion", "3", {"heures": 1800, "taux": 0.05}), ("env-produits", "1", {})]
    assert svc.remove_clause(database, dossier_id, "insertion") is True
    assert svc.remove_clause(database, dossier_id, "insertion") is False
    with pytest.raises(NotFoundError):
        svc.update_clause_variables(database, dossier_id, "insertion", {})


def test_review_history_is_kept(database):
    dossier_id = svc.create_dossier(database, example())
    with pytest.raises(ValidationError):
        svc.record_review(database, dossier_id, "a_reprendre", "Responsable achats", "")
    svc.record_review(database, dossier_id, "a_reprendre", "Responsable achats", "Ajouter le critère", datetime(2026, 9, 1, 9))
    svc.record_review(database, dossier_id, "valide", "Responsable achats", "", datetime(2026, 9, 3, 9))
    stored = svc.get_dossier(database, dossier_id)
    assert [r.decision.value for r in stored.dossier.reviews] == ["a_reprendre", "valide"]
    assert stored.dossier.status == DossierStatus.VALIDE
    svc.save_dossier(database, dossier_id, stored.dossier)  # a later save does not duplicate the history
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

    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "dossier" in repr(d)] == []


def test_launch_date_and_nullable_fields_survive(database):
    dossier = Dossier("Minimal (fictif)")
    dossier_id = svc.create_dossier(database, dossier)
    stored = svc.get_dossier(database, dossier_id).dossier
    assert stored.launch_date is None and stored.place_insee is None and stored.buyer.annual_purchases_eur is None
    stored.launch_date = date(2026, 8, 21)
    svc.save_dossier(database, dossier_id, stored)
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
    svc.save_dossier(database, dossier_id, stored)
    assert svc.get_dossier(database, dossier_id).dossier.lots[1].amount_eur == Decimal("100.10")
    assert svc.list_dossiers(database)[0].amount_eur == Decimal("100.11")


def test_service_sends_a_changed_validated_dossier_back_to_draft(database):
    example_id = svc.create_dossier(database, example())
    svc.record_review(database, example_id, "valide", "Chef de service (fictif)")
    svc.set_item_comment(database, example_id, "env-condition", "Bien")  # a comment is no change of content
    assert svc.get_dossier(database, example_id).dossier.status == DossierStatus.VALIDE
    svc.add_clause(database, example_id, ClauseSelection("condition-env", "1", {}))
    stored = svc.get_dossier(database, example_id).dossier
    assert stored.status == DossierStatus.BROUILLON and len(stored.reviews) == 1
