"""Relecture step: "Vérifier une pièce…" reads the buyer's CCAP or RC and says, for each
obligation of the dossier, whether a matching clause is in it and where (dossier audit-docx)."""

from __future__ import annotations

from html import escape as _escape
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from achatsdesk.domain.obligations import STATUS_LABELS
from achatsdesk.domain.plural import count_of, word_for
from achatsdesk.ui import operations
from achatsdesk.ui.widgets.file_dialogs import open_file_name, save_file_name


def escape(text: str) -> str:
    return _escape(text, quote=False)


ACTION_LABEL = "Vérifier une pièce…"


def choose_piece(parent: QWidget, start: str) -> str:
    return open_file_name(parent, "Pièce Word à vérifier (CCAP, RC)", start, "Document Word (*.docx *.dotx)")


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
    summary = (f"<p><b>{count_of(missing, 'obligation')} {word_for(missing, 'obligatoire')} sans clause dans la pièce.</b></p>" if missing
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

    operations.run_in_background(editor.context, editor, lambda _control: audit_piece(dossier, piece, database=database),
                                 writes=False, success=done)


# --- "Remplir mon modèle Word…": the buyer's own RC, CCAP or CCTP filled at its markers ---------------
FILL_LABEL = "Remplir mon modèle Word…"


def choose_model(parent: QWidget, start: str) -> str:
    return open_file_name(parent, "Votre modèle Word (avec ses marqueurs achatsdesk)", start,
                          "Modèle Word (*.docx *.dotx)")


def choose_piece_destination(parent: QWidget, start: str) -> str:
    return save_file_name(parent, "Enregistrer la pièce remplie", start, "Document Word (*.docx)")


def fill_report_text(path: Path, report, warnings: list[str]) -> str:
    count = len(report.articles)
    text = f"La pièce est enregistrée ({count_of(count, 'article')} {word_for(count, 'inséré')}) :\n{path}"
    if warnings:
        text += "\n\nAttention :\n" + "\n".join(f"• {w}" for w in warnings)
    return text


def fill_model_in_editor(editor, start_folder: Path) -> None:
    """Ask for the model and the destination, fill on the task runner, say what was done and not."""
    model = choose_model(editor, str(start_folder))
    if not model:
        return
    target = choose_piece_destination(editor, str(start_folder / f"{Path(model).stem} - rempli.docx"))
    if not target:
        return
    from achatsdesk.services.pieces import fill_piece

    destination = Path(target) if target.lower().endswith(".docx") else Path(target + ".docx")
    editor.save_now()  # the stored dossier is what fills the piece
    source = editor.dossier_id if editor.dossier_id is not None else editor.current_dossier()
    database = editor.context.database
    warnings: list[str] = []

    def done(result) -> None:
        path, report = result
        box = QMessageBox(QMessageBox.Icon.Information, "Pièce remplie", fill_report_text(path, report, warnings),
                          parent=editor)
        box.setAccessibleName("Pièce remplie")
        box.exec()

    operations.run_in_background(
        editor.context, editor,
        lambda _control: fill_piece(source, Path(model), destination, database=database, warn=warnings.append),
        writes=False, success=done)
