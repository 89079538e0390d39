"""Done-when 3 of issue 18, on a real PostgreSQL server: two colleagues (two login roles, two
engines) save the same dossier from the same revision."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import text

from achatsdesk.domain.checklist import ItemState, ItemStatus
from achatsdesk.domain.dossier import Dossier
from achatsdesk.errors import StaleDossierError
from achatsdesk.services import dossiers as svc
from tests.conftest import EXAMPLE_DOSSIER


def example() -> Dossier:
    return Dossier.from_dict(json.loads(EXAMPLE_DOSSIER.read_text(encoding="utf-8")))


def test_the_second_saver_is_told_who_saved_and_loses_nothing(team):
    alice, bob = team
    dossier_id = svc.create_dossier(alice.database, example())
    copy_a, copy_b = svc.get_dossier(alice.database, dossier_id), svc.get_dossier(bob.database, dossier_id)
    assert copy_a.revision == copy_b.revision == 1

    copy_a.dossier.items["social-condition"] = ItemState(ItemStatus.FAIT)
    assert svc.save_dossier(alice.database, dossier_id, copy_a.dossier, copy_a.revision) == 2
    copy_b.dossier.title = "Titre de Bob"
    with pytest.raises(StaleDossierError) as refused:
        svc.save_dossier(bob.database, dossier_id, copy_b.dossier, copy_b.revision)

    error = refused.value
    assert error.changed_by == alice.role and error.stored == 2 and error.expected == 1
    assert f"a été modifié par {alice.role} le " in error.user_message
    assert "votre version n'a pas été enregistrée" in error.user_message and "copie" in error.user_message
    stored = svc.get_dossier(bob.database, dossier_id)
    assert stored.revision == 2 and stored.dossier.title == "Nettoyage des collèges"
    assert stored.dossier.items["social-condition"].status == ItemStatus.FAIT  # Alice's answer not erased
    # Bob's version is still whole in his hands: kept as a copy, nothing lost.
    copy_id = svc.keep_copy(bob.database, copy_b.dossier)
    kept = svc.get_dossier(alice.database, copy_id).dossier
    assert kept.title == "Titre de Bob (ma copie)"
    with bob.database.shared_engine.connect() as conn:
        history = conn.execute(text("SELECT revision, action, changed_by FROM dossier_change "
                                    "WHERE dossier_id = :id ORDER BY id"), {"id": dossier_id}).all()
        author = conn.execute(text("SELECT updated_by FROM dossier WHERE id = :id"), {"id": copy_id}).scalar_one()
    assert [tuple(r) for r in history] == [(1, "creation", alice.role), (2, "modification", alice.role)]
    assert author == bob.role  # the server's trigger names the login role, whatever the client wrote


@pytest.mark.parametrize("rounds", [5])
def test_of_two_concurrent_savers_from_one_revision_exactly_one_wins(team, rounds):
    """Two threads, each its own connection and role, save the same revision at the same moment
    (a barrier): one save is stored, the other is refused; never both, never a lost update."""
    alice, bob = team
    dossier_id = svc.create_dossier(alice.database, example())
    for _ in range(rounds):
        start = svc.get_dossier(alice.database, dossier_id)
        barrier = threading.Barrier(2)
        outcomes: dict[str, object] = {}

        def save(colleague, start=start, barrier=barrier, outcomes=outcomes) -> None:
            mine = svc.get_dossier(colleague.database, dossier_id)
            assert mine.revision == start.revision
            mine.dossier.title = f"Écrit par {colleague.role}"
            barrier.wait()
            try:
                outcomes[colleague.role] = svc.save_dossier(colleague.database, dossier_id, mine.dossier, mine.revision)
            except StaleDossierError as exc:
                outcomes[colleague.role] = exc

        threads = [threading.Thread(target=save, args=(c,)) for c in (alice, bob)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        won = [role for role, outcome in outcomes.items() if outcome == start.revision + 1]
        lost = [outcome for outcome in outcomes.values() if isinstance(outcome, StaleDossierError)]
        assert len(outcomes) == 2 and len(won) == 1 and len(lost) == 1, outcomes
        assert lost[0].changed_by == won[0] and lost[0].stored == start.revision + 1
        stored = svc.get_dossier(bob.database, dossier_id)
        assert stored.revision == start.revision + 1 and stored.dossier.title == f"Écrit par {won[0]}"


def test_a_colleague_lock_does_not_change_who_is_named(team):
    """A lock updates the row without a new revision: the server's trigger keeps ``updated_by`` (the author
    of the stored revision), and the message names that author, not the last one to open the dossier."""
    from achatsdesk.services import dossier_locks as locks

    alice, bob = team
    dossier_id = svc.create_dossier(alice.database, example())
    stale = svc.get_dossier(bob.database, dossier_id)
    fresh = svc.get_dossier(alice.database, dossier_id)
    fresh.dossier.title = "Version d'Alice"
    svc.save_dossier(alice.database, dossier_id, fresh.dossier, fresh.revision)
    assert locks.take_lock(bob.database, dossier_id).mine  # Bob opens it: his lock, not his save
    with bob.database.shared_engine.connect() as conn:
        stamped = conn.execute(text("SELECT updated_by FROM dossier WHERE id = :id"), {"id": dossier_id}).scalar_one()
    assert stamped == alice.role
    with pytest.raises(StaleDossierError) as refused:
        svc.save_dossier(bob.database, dossier_id, stale.dossier, stale.revision)
    assert refused.value.changed_by == alice.role and f"par {alice.role} le " in refused.value.user_message
