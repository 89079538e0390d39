"""The import assistant: choose a file, see its detected format and first rows, map columns
when the file is not a known list, import with a progress bar and Annuler, read the report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.errors import Cancelled
from achatsdesk.services.catalogue import import_file
from achatsdesk.services.catalogue_files import (
    FIELDS,
    GENERIC,
    FilePreview,
    ImportReport,
    preview_file,
)
from achatsdesk.services.supplier_kinds import KIND_LABELS
from achatsdesk.ui import operations
from achatsdesk.ui.operations import Changes
from achatsdesk.ui.widgets import file_dialogs


class ImportAssistant(QDialog):
    def __init__(self, context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Importer une liste de structures")
        self.setAccessibleName("Assistant d'import de structures")
        self.resize(820, 620)
        self._preview: FilePreview | None = None
        self._task = None
        self.report: ImportReport | None = None
        layout = QVBoxLayout(self)

        chooser = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Fichier à importer")
        self.path_edit.setPlaceholderText("Fichier CSV ou XLSX (liste ASP, GEIQ, FINESS, Marché de l'inclusion, SIRENE…)")
        browse = QPushButton("Choisir…")
        browse.setAccessibleName("Choisir le fichier")
        browse.clicked.connect(self._browse)
        chooser.addWidget(self.path_edit, 1)
        chooser.addWidget(browse)
        layout.addLayout(chooser)

        self.format_label = QLabel("Aucun fichier choisi.")
        self.format_label.setAccessibleName("Format détecté")
        self.format_label.setWordWrap(True)
        layout.addWidget(self.format_label)
        # The date of the data: read from the file's name or asked, never today's date silently.
        date_row = QHBoxLayout()
        self.source_date = QLineEdit()
        self.source_date.setAccessibleName("Date des données")
        self.source_date.setPlaceholderText("JJ/MM/AAAA ou AAAA")
        self.source_date.setMaximumWidth(140)
        self.source_date_origin = QLabel()
        self.source_date_origin.setWordWrap(True)
        self.source_date_origin.setAccessibleName("Origine de la date des données")
        date_row.addWidget(QLabel("Date des données :"))
        date_row.addWidget(self.source_date)
        date_row.addWidget(self.source_date_origin, 1)
        layout.addLayout(date_row)
        self.preview_table = QTableWidget()
        self.preview_table.setAccessibleName("Aperçu des premières lignes")
        layout.addWidget(self.preview_table, 2)

        self.mapping_box = QGroupBox("Correspondance des colonnes")
        self.mapping_box.setAccessibleName("Correspondance des colonnes")
        self.mapping_form = QFormLayout(self.mapping_box)
        self.mapping_combos: dict[str, QComboBox] = {}
        self.default_kind = QComboBox()
        self.default_kind.setAccessibleName("Type par défaut")
        self.default_kind.addItem("(aucun : le fichier a une colonne de type)", None)
        for code, label in KIND_LABELS.items():
            self.default_kind.addItem(f"{code} — {label}", code)
        self.mapping_box.setVisible(False)
        layout.addWidget(self.mapping_box, 1)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Avancement de l'import")
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.report_view = QTextBrowser()
        self.report_view.setAccessibleName("Rapport d'import")
        self.report_view.setVisible(False)
        layout.addWidget(self.report_view, 1)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("Importer", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setAccessibleName("Lancer l'import")
        self.import_button.setEnabled(False)
        self.cancel_button = self.buttons.addButton("Annuler", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setAccessibleName("Annuler")
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        layout.addWidget(self.buttons)
        self.path_edit.editingFinished.connect(lambda: self.load_file(self.path_edit.text()))

    # -- choosing the file
    def _browse(self) -> None:
        settings = self.context.settings
        path = file_dialogs.open_file_name(self, "Choisir une liste de structures", str(file_dialogs.start_folder(settings)),
                                           "Tableaux (*.csv *.txt *.tsv *.xlsx);;Tous les fichiers (*)")
        if path:
            file_dialogs.remember_folder(settings, path)
            self.load_file(path)

    def load_file(self, path_text: str) -> bool:
        path = Path(path_text.strip())
        self.path_edit.setText(str(path))
        def refused(exc: BaseException) -> None:
            self.import_button.setEnabled(False)
            self.format_label.setText("Ce fichier ne peut pas être importé.")
            operations.report(self, exc)

        self._preview = operations.run(self.context, self, lambda: preview_file(path), failure=refused)
        if self._preview is None:
            return False
        info = self._preview
        self.format_label.setText(f"Format détecté : <b>{info.format_label}</b> — {info.encoding_label}.")
        self.preview_table.clear()
        self.preview_table.setColumnCount(len(info.headers))
        self.preview_table.setHorizontalHeaderLabels(info.headers)
        self.preview_table.setRowCount(len(info.rows))
        for r, cells in enumerate(info.rows):
            for c, value in enumerate(cells[: len(info.headers)]):
                self.preview_table.setItem(r, c, QTableWidgetItem(value))
        self._build_mapping(info)
        from achatsdesk.services.catalogue_files import suggested_source_date

        suggested = suggested_source_date(path)
        self.source_date.setText(date.fromisoformat(suggested.value).strftime("%d/%m/%Y"))
        self.source_date_origin.setText(f"d'après le {suggested.origin}. Corrigez-la si la liste est plus ancienne.")
        self.import_button.setEnabled(True)
        return True

    def _build_mapping(self, info: FilePreview) -> None:
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.mapping_combos = {}
        generic = info.format_code == GENERIC
        self.mapping_box.setVisible(generic)
        if not generic:
            return
        for field, label in FIELDS.items():
            combo = QComboBox()
            combo.setAccessibleName(f"Colonne pour : {label}")
            combo.addItem("(aucune)", None)
            for header in info.headers:
                combo.addItem(header, header)
            guessed = info.mapping.get(field)
            if guessed:
                combo.setCurrentIndex(combo.findData(guessed))
            self.mapping_form.addRow(label + (" *" if field == "name" else ""), combo)
            self.mapping_combos[field] = combo
        self.default_kind = QComboBox()
        self.default_kind.setAccessibleName("Type par défaut des structures")
        self.default_kind.addItem("(aucun : le fichier a une colonne de type)", None)
        for code, label in KIND_LABELS.items():
            self.default_kind.addItem(f"{code} — {label}", code)
        self.mapping_form.addRow("Type par défaut", self.default_kind)

    def mapping(self) -> dict[str, str]:
        return {field: combo.currentData() for field, combo in self.mapping_combos.items() if combo.currentData()}

    # -- importing
    def start_import(self) -> None:
        if self._preview is None:
            return
        path = Path(self.path_edit.text())
        generic = self._preview.format_code == GENERIC
        mapping = self.mapping() if generic else None
        default_kind = self.default_kind.currentData() if generic else None
        fmt = GENERIC if generic else self._preview.format_code
        from achatsdesk.services.catalogue_files import parse_source_date

        try:
            source_date = parse_source_date(self.source_date.text())
        except ValueError as exc:
            self.source_date_origin.setText(f"<span style='color:#a00'>{exc}</span>")
            self.source_date.setFocus()
            return
        database = self.context.database
        self.import_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.report_view.setVisible(False)

        def work(control):
            return import_file(database, path, fmt, control.progress, control.cancelled,
                               mapping=mapping, default_kind=default_kind, source_date=source_date)

        self._task = operations.run_in_background(self.context, self, work, success=self._finished, failure=self._failed,
                                                  progress=self._progressed, changes=Changes(catalogue=True))

    def _progressed(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        self.progress.setFormat(message)

    def _finished(self, report: ImportReport) -> None:
        self._task = None
        self.report = report
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress.setFormat("Import terminé")
        lines = [f"<p><b>{report.summary()}</b></p>"]
        if report.rejections:
            lines.append("<p>Lignes rejetées :</p><ul>")
            lines += [f"<li>ligne {r.line} : {r.reason}</li>" for r in report.rejections[:200]]
            lines.append("</ul>")
        self.report_view.setHtml("".join(lines))
        self.report_view.setVisible(True)
        self.cancel_button.setText("Fermer")
        self.cancel_button.setAccessibleName("Fermer")

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self.progress.setVisible(False)
        self.import_button.setEnabled(True)
        if isinstance(exc, Cancelled):  # said in the dialog itself (the error path would stay silent)
            self.report_view.setHtml(f"<p>{exc.message}</p>")
            self.report_view.setVisible(True)
            return
        operations.report(self, exc)

    def _cancel_or_close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            return
        if self.report is not None:
            self.accept()
        else:
            self.reject()
