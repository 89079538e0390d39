"""Clause rendering and pack import run on the task runner, never on the GUI thread."""

from __future__ import annotations

import threading

from achatsdesk.services.clause_format import clause_from_dict


def _clause():
    return clause_from_dict({
        "id": "perso-fil", "title": "Essai", "family": "condition-sociale", "kind": "condition-execution",
        "document": "CCAP", "legal_basis": "L2112-2", "applies_from": "2019-04-01", "version": "1.0",
        "body": "Le titulaire réserve {{ heures }} heures.",
        "variables": [{"name": "heures", "label": "Heures", "type": "integer", "default": 35}],
    })


def test_the_clause_preview_renders_on_a_worker_and_keeps_the_latest(qtbot, monkeypatch) -> None:
    from achatsdesk.ui.clauses import preview as preview_module
    from achatsdesk.ui.tasks import TaskRunner

    monkeypatch.setattr(TaskRunner, "synchronous", False)
    threads: list[threading.Thread] = []
    real = preview_module.render_clause

    def watched(clause, values=None):
        threads.append(threading.current_thread())
        return real(clause, values)

    monkeypatch.setattr(preview_module, "render_clause", watched)
    widget = preview_module.ClausePreview()
    qtbot.addWidget(widget)

    widget.show_clause(_clause(), {"heures": 10})
    widget.show_clause(_clause(), {"heures": 20})

    qtbot.waitUntil(lambda: "20" in widget.wording(), timeout=5000)
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert "20 heures" in widget.wording()


def test_a_pack_is_imported_on_a_worker(qtbot, shell_context, monkeypatch, tmp_path) -> None:
    import json
    import zipfile
    from pathlib import Path

    from PySide6.QtWidgets import QMessageBox

    from achatsdesk.services import clause_packs
    from achatsdesk.ui.clauses import clauses_page
    from achatsdesk.ui.tasks import TaskRunner

    fixture = Path(__file__).parent.parent / "fixtures" / "clauses" / "user-clause.json"
    pack = tmp_path / "pack.zip"
    with zipfile.ZipFile(pack, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "achatsdesk-clauses", "version": 1,
                                                      "clauses": ["clauses/perso-insertion-locale.json"]}))
        archive.writestr("clauses/perso-insertion-locale.json", fixture.read_text("utf-8"))
    monkeypatch.setattr(TaskRunner, "synchronous", False)
    threads: list[threading.Thread] = []
    real = clause_packs.import_pack

    def watched(database, source):
        threads.append(threading.current_thread())
        return real(database, source)

    monkeypatch.setattr(clause_packs, "import_pack", watched)
    monkeypatch.setattr(clauses_page, "choose_pack_to_import", lambda parent, start: str(pack))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    page = clauses_page.ClausesPage(shell_context)
    qtbot.addWidget(page)

    page.import_action.trigger()

    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    assert threads and threads[0] is not threading.main_thread()
    assert page.library.find("perso-insertion-locale") is not None and page.import_action.isEnabled()
