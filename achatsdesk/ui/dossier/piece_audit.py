"""Relecture step: "Vérifier une pièce…" reads the buyer's CCAP or RC and says, for each
obligation of the dossier, whether a matching clause is in it and where (dossier audit-docx)."""

from __future__ import annotations

from html import escape as _escape
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from achatsdesk.domain.obligations import STATUS_LABELS
from achatsdesk.ui.errors import show_exception
from achatsdesk.ui.tasks import run_task


def escape(text: str) -> str:
    return _escape(text, quote=False)


ACTION_LABEL = "Vérifier une pièce…"


def choose_piece(parent: QWidget, start: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "Pièce Word à vérifier (CCAP, RC)", start, "Document Word (*.docx *.dotx)")
    return path


def report_html(piece: Path, rows: list[dict]) -> str:
    """The result as the dialog shows it: one line per obligation, found (with its paragraph) or absent."""
    lines = []
    for row in rows:
        status = STATUS_LABELS.get(row["status"], row["status"])
        if row["found"]:
            where = f"trouvée au § {row['paragraph_index']} : « {escape(row['paragraph'][:120])} »"
            lines.append(f"<li>✔ <b>{escape(row['title'])}</b> ({escape(status.lower())}) — {where}</li>")
        else:
            lines.append(f"<li>✘ <b>{escape(row['title'])}</b> ({escape(status.lower())}) — <b>absente</b></li>")
    missing = sum(1 for r in rows if not r["found"] and r["status"] == "obligatoire")
    summary = (f"<p><b>{missing} obligation(s) obligatoire(s) sans clause dans la pièce.</b></p>" if missing
               else "<p>Chaque obligation obligatoire a sa clause dans la pièce.</p>")
    return f"<p>Pièce « {escape(piece.name)} » :</p><ul>{''.join(lines)}</ul>{summary}"


def audit_piece_in_editor(editor, start_folder: Path) -> None:
    """Ask for the piece, audit it on the task runner, show the result."""
    path = choose_piece(editor, str(start_folder))
    if not path:
        return
    from achatsdesk.services.pieces import audit_piece

    piece = Path(path)
    dossier = editor.current_dossier()
    database = editor.context.database

    def done(rows: list[dict]) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "Vérification de la pièce", report_html(piece, rows), parent=editor)
        box.setAccessibleName("Vérification de la pièce")
        box.exec()

    run_task(lambda _control: audit_piece(dossier, piece, database=database), on_done=done,
             on_error=lambda exc: show_exception(editor, exc))
