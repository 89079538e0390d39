"""The homogeneous-needs warning in the editor follows the amount typed digit by digit (worked out in
memory) and the other stored dossiers (read again when one of them changed), without reading every
stored dossier at each digit. Made-up dossiers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtTest import QTest

from achatsdesk.domain.dossier import Buyer, Dossier, Nature
from achatsdesk.services import dossiers as svc
from achatsdesk.services import split_needs


def _cleaning(title: str, amount: int, buyer: str = "Commune fictive") -> Dossier:
    return Dossier(title, buyer=Buyer(buyer), nature=Nature.SERVICES, cpv=["90911200-8"],
                   estimated_amount_eur=Decimal(amount), launch_date=date(2026, 3, 1))


def test_the_warning_follows_the_amount_and_the_other_dossiers(qtbot, shell_context, database, monkeypatch):
    from achatsdesk.ui.dossier.editor import DossierEditor

    svc.create_dossier(database, _cleaning("Nettoyage des écoles (fictif)", 120_000))
    svc.create_dossier(database, _cleaning("Nettoyage d'un autre acheteur (fictif)", 150_000, buyer="Autre commune"))
    reads = []
    real = split_needs.stored_candidates
    monkeypatch.setattr(split_needs, "stored_candidates", lambda *a, **k: reads.append(1) or real(*a, **k))
    editor = DossierEditor(shell_context, svc.create_dossier(database, _cleaning("Nettoyage des crèches (fictif)", 1000)))
    qtbot.addWidget(editor)
    editor.show()
    warnings = editor.obligations.warnings
    assert not warnings.isVisible()

    amount = editor.fields.amount
    amount.setFocus()
    amount.selectAll()
    for digit in "150000":  # 120 000 + 150 000 > 216 000 €: the European threshold, which neither reaches alone
        QTest.keyClick(amount, digit)
    qtbot.waitUntil(lambda: editor.current_dossier().amount_eur == Decimal(150_000), timeout=5000)
    assert warnings.isVisible() and "Nettoyage des écoles" in warnings.text()
    assert "autre acheteur" not in warnings.text()
    assert len(reads) == 1  # the stored dossiers read once, not once per digit

    # A colleague stores another cleaning dossier of the same buyer: named once the stamp is read again.
    svc.create_dossier(database, _cleaning("Nettoyage des gymnases (fictif)", 60_000))
    editor.split_watch.look_again()  # as if a second had passed since the last look
    amount.selectAll()
    for digit in "100000":  # 120 000 + 60 000 + 100 000 > 216 000 €, each one under it
        QTest.keyClick(amount, digit)
    qtbot.waitUntil(lambda: "Nettoyage des gymnases" in warnings.text(), timeout=5000)
    assert "Nettoyage des écoles" in warnings.text()
    assert len(reads) == 2
