"""Typing the amount: at most one lever count runs at a time, stale ones are not shown, and the
lever shown at the end is the one of the final amount (behaviour, not timing)."""

from __future__ import annotations

import json
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtTest import QTest

from achatsdesk.domain.dossier import Dossier
from achatsdesk.domain.levers import yearly_budget
from achatsdesk.services import dossiers as svc
from achatsdesk.services.lever_advice import LocalSupply
from achatsdesk.ui.tasks import TaskRunner

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nettoyage-colleges.json"


class SlowCatalogue:
    """A stand-in for a catalogue of a million suppliers: each count takes a while, on a worker thread."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.running = 0
        self.most_at_once = 0
        self.counts = 0
        self._lock = threading.Lock()

    def counter(self, _database):
        def count(sectors, kinds, near, radius_km, departement, limit) -> LocalSupply:
            with self._lock:
                self.running += 1
                self.counts += 1
                self.most_at_once = max(self.most_at_once, self.running)
            try:
                time.sleep(self.seconds)
                return LocalSupply(3, ())
            finally:
                with self._lock:
                    self.running -= 1
        return count


@pytest.fixture
def slow_catalogue(monkeypatch):
    catalogue = SlowCatalogue(0.3)
    monkeypatch.setattr("achatsdesk.ui.dossier.lever_panel.catalogue_counter", catalogue.counter)
    monkeypatch.setattr(TaskRunner, "synchronous", False)  # real worker threads, as in the application
    return catalogue


def test_ten_digits_typed_run_one_count_at_a_time_and_show_the_final_amount(qtbot, shell_context, database,
                                                                           slow_catalogue):
    from achatsdesk.ui.dossier.editor import DossierEditor

    dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    editor = DossierEditor(shell_context, svc.create_dossier(database, dossier))
    qtbot.addWidget(editor)
    editor.show()
    lever = editor.clauses_extension.lever
    amount = editor.fields.amount
    amount.setFocus()
    amount.selectAll()
    for digit in "1234567890":
        QTest.keyClick(amount, digit)
        qtbot.wait(40)  # faster than the debounce, slower than nothing: counts could pile up here
    final = Decimal("1234567890")
    qtbot.waitUntil(lambda: lever.advice is not None and lever.advice.budget_eur == yearly_budget(
        final, editor.current_dossier().duration_months), timeout=10_000)
    qtbot.wait(400)  # nothing left to land afterwards
    assert slow_catalogue.most_at_once == 1
    assert 1 <= slow_catalogue.counts <= 2  # the amount is not a count key: typing reuses the count
    assert lever.counts_started == slow_catalogue.counts
    assert lever.advice.budget_eur == yearly_budget(final, editor.current_dossier().duration_months)
    assert lever.advice.decision.supplier_count == 3
    assert lever.advice.decision.label in lever.verdict.text()


def test_a_new_place_is_counted_again_after_the_debounce(qtbot, shell_context, database, slow_catalogue):
    from achatsdesk.ui.dossier.lever_panel import LeverPanel

    panel = LeverPanel(database, shell_context.reference, shell_context.tasks)
    qtbot.addWidget(panel)
    dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    panel.show_dossier(dossier)
    qtbot.waitUntil(lambda: panel.advice is not None, timeout=5000)
    for insee in ("75056", "69123", "13055"):  # three places in a row: only the last is counted
        dossier = Dossier.from_dict({**json.loads(EXAMPLE.read_text(encoding="utf-8")), "place_insee": insee})
        panel.show_dossier(dossier)
    qtbot.waitUntil(lambda: "Marseille" in panel.reasons.text(), timeout=5000)
    assert slow_catalogue.counts == 2 and slow_catalogue.most_at_once == 1
    panel.show_dossier(Dossier.from_dict({**json.loads(EXAMPLE.read_text(encoding="utf-8")), "place_insee": "13055",
                                         "estimated_amount_eur": "999"}))
    assert "Marseille" in panel.reasons.text() and slow_catalogue.counts == 2  # answered from the count kept
