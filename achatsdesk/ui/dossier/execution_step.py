"""The "Exécution" step of the dossier editor, after Relecture: the award of each lot,
the follow-up of every measurable clause (planned vs realised, balance, progress),
a facilitator's report to import and the penalty the clause's terms give, explained.

The award is undoable with the editor's Ctrl+Z (an AwardCommand on its undo stack);
realised figures are recorded at once (the facilitator's count is the reference,
a corrected figure replaces the period's).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.award import PROCEDURES, Award
from achatsdesk.domain.dossier import STATUS_LABELS, DossierStatus
from achatsdesk.domain.execution import FollowUp, lot_titles
from achatsdesk.domain.formatting import format_date_short, format_money, format_number
from achatsdesk.errors import AchatsdeskError
from achatsdesk.services import execution
from achatsdesk.ui import operations

STEP_TITLE = "Exécution"
STEP_ID = "execution_suivi"
COLUMNS = ("Lot", "Engagement", "Prévu", "Réalisé", "Solde", "Avancement", "Par trimestre")


def choose_report(parent: QWidget) -> str:
    """The open dialog for a facilitator's report (tests stand in for the buyer)."""
    path, _ = QFileDialog.getOpenFileName(parent, "Importer un relevé du facilitateur", "",
                                          "Relevés (*.csv *.xlsx);;Tous les fichiers (*)")
    return path


class AwardCommand(QUndoCommand):
    """An award already recorded; undo takes it back (or puts back the award it replaced),
    redo records it again. The first redo (Qt's, on push) has nothing left to do: the award
    is written before the push, so that a refused one never reaches the undo stack."""

    def __init__(self, step: ExecutionStep, values: dict, previous: Award | None) -> None:
        super().__init__(f"Attribuer le lot n° {values['lot']}")
        self.step, self.values, self.previous = step, values, previous
        self._recorded = True

    def redo(self) -> None:
        if self._recorded:
            self._recorded = False
            return
        # An exception cannot leave a Qt virtual: a refusal is said in the step, the rest worded by the error path.
        self.step.attempt(lambda: execution.award_lot(self.step.database, self.step.dossier_id, **self.values))
        self.step.after_workflow_change()

    def undo(self) -> None:
        self.step.attempt(self._take_back)  # figures recorded since: the award stays, the step says why
        self.step.after_workflow_change()

    def _take_back(self) -> None:
        if self.previous is not None:
            p = self.previous
            execution.award_lot(self.step.database, self.step.dossier_id, lot=p.lot, siret=p.holder_siret,
                                name=p.holder_name, notified_on=p.notified_on, amount=p.amount_eur,
                                duration_months=p.duration_months, offers_received=p.offers_received,
                                procedure=p.procedure)
        else:
            execution.undo_award(self.step.database, self.step.dossier_id, self.values["lot"])


class ExecutionStep(QWidget):
    def __init__(self, editor) -> None:
        super().__init__()
        self.editor = editor
        self.database = editor.context.database
        self.dossier_id: int = editor.dossier_id
        self.setAccessibleName("Exécution du marché")
        self.follow: FollowUp | None = None

        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setAccessibleName("État de l'exécution")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message de l'étape Exécution")

        # --- award form
        award_box = QGroupBox("Attribution")
        form = QFormLayout(award_box)
        self.lot = QComboBox()
        self.lot.setAccessibleName("Lot attribué")
        self.siret = QLineEdit()
        self.siret.setAccessibleName("SIRET du titulaire")
        self.siret.setPlaceholderText("14 chiffres")
        self.holder_name = QLineEdit()
        self.holder_name.setAccessibleName("Raison sociale du titulaire")
        self.holder_name.setPlaceholderText("reprise du catalogue si le SIRET y figure")
        self.notified = QDateEdit(QDate.currentDate())
        self.notified.setCalendarPopup(True)
        self.notified.setDisplayFormat("dd/MM/yyyy")
        self.notified.setAccessibleName("Date de notification")
        self.amount = QLineEdit()
        self.amount.setAccessibleName("Montant attribué (€ HT)")
        self.amount.setPlaceholderText("ex. 680 000")
        self.duration = QSpinBox()
        self.duration.setRange(0, 240)
        self.duration.setSpecialValueText("durée du dossier")
        self.duration.setAccessibleName("Durée en mois")
        self.offers = QSpinBox()
        self.offers.setRange(0, 999)
        self.offers.setSpecialValueText("non renseigné")
        self.offers.setAccessibleName("Nombre d'offres reçues")
        self.procedure = QComboBox()
        self.procedure.setAccessibleName("Procédure de passation")
        for key, label in PROCEDURES.items():
            self.procedure.addItem(label, key)
        self.award_button = QPushButton("Enregistrer l'attribution")
        self.award_button.clicked.connect(self.award)
        for label, widget in (("Lot", self.lot), ("SIRET du titulaire", self.siret),
                              ("Raison sociale", self.holder_name), ("Notification", self.notified),
                              ("Montant (€ HT)", self.amount), ("Durée (mois)", self.duration),
                              ("Offres reçues", self.offers), ("Procédure", self.procedure)):
            form.addRow(label, widget)
        form.addRow(self.award_button)
        self.awards = QLabel()
        self.awards.setWordWrap(True)
        self.awards.setAccessibleName("Lots attribués")
        form.addRow(self.awards)

        # --- follow-up
        follow_box = QGroupBox("Suivi des clauses")
        follow_layout = QVBoxLayout(follow_box)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Prévu et réalisé par clause")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        follow_layout.addWidget(self.table)
        self.totals = QLabel()
        self.totals.setAccessibleName("Total prévu et réalisé")
        follow_layout.addWidget(self.totals)
        entry = QHBoxLayout()
        self.commitment = QComboBox()
        self.commitment.setAccessibleName("Clause suivie")
        self.period = QLineEdit()
        self.period.setPlaceholderText("2027-T1")
        self.period.setAccessibleName("Trimestre")
        self.value = QLineEdit()
        self.value.setPlaceholderText("valeur réalisée")
        self.value.setAccessibleName("Valeur réalisée")
        self.record_button = QPushButton("Enregistrer le relevé")
        self.record_button.clicked.connect(self.record)
        self.import_button = QPushButton("Importer un relevé du facilitateur…")
        self.import_button.clicked.connect(lambda: self.import_report_file(choose_report(self)))
        for widget in (self.commitment, self.period, self.value, self.record_button):
            entry.addWidget(widget)
        follow_layout.addLayout(entry)
        follow_layout.addWidget(self.import_button)
        self.report = QLabel()
        self.report.setWordWrap(True)
        self.report.setAccessibleName("Compte rendu de l'import du relevé")
        follow_layout.addWidget(self.report)

        self.close_button = QPushButton("Clore le marché (exécution terminée)")
        self.close_button.clicked.connect(self.close_contract)
        follow_layout.addWidget(self.close_button)

        penalty_box = QGroupBox("Pénalités (calculées, jamais appliquées automatiquement)")
        penalty_layout = QVBoxLayout(penalty_box)
        self.penalties = QLabel()
        self.penalties.setWordWrap(True)
        self.penalties.setAccessibleName("Explication des pénalités")
        self.penalties.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        penalty_layout.addWidget(self.penalties)

        from achatsdesk.ui.dossier.agec_spend_form import AgecSpendForm

        self.agec = AgecSpendForm(self.database, self.dossier_id)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(QLabel(f"<h2>{STEP_TITLE}</h2>"))
        for widget in (self.state, self.message, award_box, follow_box, penalty_box, self.agec):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.refresh()

    # --- actions ----------------------------------------------------------------------
    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color:#a00" if error else "")
        self.message.setText(text)

    def _fail(self, exc: BaseException) -> None:
        """A refusal of the core (a validation message) is said in the step; anything unexpected
        goes to the one error path."""
        if isinstance(exc, AchatsdeskError):
            self._say(f"{exc.message} {exc.hint}".strip(), error=True)
        else:
            operations.report(self, exc)

    def attempt(self, call) -> bool:
        """Run one core write of the step through the operations; True when it succeeded."""
        return operations.attempt(self.editor.context, self, call, failure=self._fail)

    def award(self) -> None:
        lot = int(self.lot.currentData() or 1)
        previous = next((a for a in execution.awards_of(self.database, self.dossier_id) if a.lot == lot), None)
        values = {"lot": lot, "siret": self.siret.text(), "name": self.holder_name.text(),
                  "notified_on": self.notified.date().toPython(), "amount": self.amount.text(),
                  "duration_months": self.duration.value() or None, "offers_received": self.offers.value() or None,
                  "procedure": self.procedure.currentData()}
        self.editor.save_now()  # the dossier as typed first: the award reads it
        if not self.attempt(lambda: execution.award_lot(self.database, self.dossier_id, **values)):
            return  # refused: nothing written, nothing to undo
        self.editor.undo_stack.push(AwardCommand(self, values, previous))
        self.after_workflow_change()
        self._say(f"Lot n° {lot} attribué (Ctrl+Z pour annuler).")

    def record(self) -> None:
        data = self.commitment.currentData()
        if not data:
            self._say("Aucune clause d'engagement mesurable à suivre dans ce dossier.", error=True)
            return
        clause_id, lot = data
        figure = operations.run(self.editor.context, self, lambda: execution.record_realised(
            self.database, self.dossier_id, clause_id=clause_id, lot=lot,
            period=self.period.text(), value=self.value.text()), failure=self._fail)
        if figure is None:
            return
        self.value.clear()
        self.after_workflow_change()
        self._say(f"Relevé {figure.period} enregistré.")

    def close_contract(self) -> None:
        if not self.attempt(lambda: execution.close_execution(self.database, self.dossier_id)):
            return
        self.after_workflow_change()
        self._say("Marché clos : il ne figure plus dans le Suivi ; ses chiffres restent dans les déclarations.")

    def import_report_file(self, path: str) -> None:
        if not path:
            return
        from achatsdesk.services.execution_report import import_report, preview_report
        from achatsdesk.ui.dossier import report_mapping_dialog as mapping_step

        preview = operations.run(self.editor.context, self, lambda: preview_report(Path(path)), failure=self._fail)
        if preview is None:
            return
        mapping = preview.mapping
        if not mapping_step.mapping_is_complete(mapping):  # the headers do not say: ask the buyer
            mapping = mapping_step.choose_mapping(self, preview)
            if mapping is None:
                self._say("Import du relevé annulé : rien n'a été modifié.")
                return
        outcome = operations.run(self.editor.context, self,
                                 lambda: import_report(self.database, self.dossier_id, Path(path), mapping),
                                 failure=self._fail)
        if outcome is None:
            return
        lines = [outcome.summary] + [f"Ligne {r.line} rejetée : {r.reason}." for r in outcome.rejected]
        self.report.setText("\n".join(lines))
        self.after_workflow_change()

    def after_workflow_change(self) -> None:
        """The award and the figures change the dossier's status in the database: the editor
        adopts it (so that its autosave never writes the former status back)."""
        self.editor.reload_workflow()  # status and revision as stored: the next autosave is not stale
        self.refresh()

    # --- showing ------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        dossier = self.editor.current_dossier()
        awardable = dossier.status in execution.AWARDABLE
        self.state.setText(f"<b>Statut : {STATUS_LABELS[dossier.status]}</b>" + (
            "" if awardable or dossier.status == DossierStatus.CLOS else
            " — l'attribution s'enregistre une fois le dossier validé à l'étape Relecture."))
        for widget in (self.award_button, self.siret, self.amount):
            widget.setEnabled(awardable)
        self.close_button.setEnabled(dossier.status in execution.UNDER_EXECUTION)
        titles = lot_titles(dossier)
        current = self.lot.currentData()
        self.lot.clear()
        for number, title in enumerate(titles, start=1):
            self.lot.addItem(f"Lot n° {number} — {title}" if len(dossier.lots) > 1 else title, number)
        if current:
            self.lot.setCurrentIndex(max(0, self.lot.findData(current)))
        self.follow = execution.dossier_follow_up(self.database, self.dossier_id)
        awards = [lot.award for lot in self.follow.lots if lot.award and lot.lot]
        self.awards.setText("<br>".join(
            f"Lot n° {a.lot} : {a.holder_name or a.holder_siret}"
            f"{f' ({a.holder_kind}, structure inclusive)' if a.inclusive else ''}, {format_money(a.amount_eur)}, "
            f"notifié le {format_date_short(a.notified_on)}"
            f"{f', fin le {format_date_short(a.end_date)}' if a.end_date else ''}" for a in awards)
            or "Aucun lot attribué.")
        self._fill_table()
        self.commitment.clear()
        for lot in self.follow.lots:
            for p in lot.progress:
                self.commitment.addItem((f"Lot n° {lot.lot} — {p.commitment.label}" if lot.lot else p.commitment.label),
                                        (p.commitment.clause_id, lot.lot))
        planned, realised = self.follow.totals()
        self.totals.setText(f"Total : {format_number(realised)} h réalisées sur {format_number(planned)} h prévues ; "
                            f"solde {format_number(self.follow.balance)} h."
                            + "".join(f" Lot n° {lot.lot} : {lot.late_label}." for lot in self.follow.late))
        explained = [f"<b>Lot n° {lot.lot}</b> : {lot.penalty.explanation}" for lot in self.follow.lots
                     if lot.penalty is not None and lot.award is not None]
        self.penalties.setText("<br>".join(explained) or "Aucune clause de pénalité mesurable dans ce dossier.")

    def _fill_table(self) -> None:
        rows = [(lot, p) for lot in self.follow.lots for p in lot.progress]
        self.table.setRowCount(len(rows))
        for row, (lot, p) in enumerate(rows):
            unit = p.commitment.unit
            cells = (f"{lot.lot}", p.commitment.label, f"{format_number(p.commitment.planned)} {unit}",
                     f"{format_number(p.realised)} {unit}", f"{format_number(p.balance)} {unit}", "",
                     ", ".join(f"{k} : {format_number(v)}" for k, v in p.by_period.items()) or "—")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            self.table.item(row, 6).setToolTip("\n".join(
                f"{f.period} : {format_number(f.value)} {unit}, transmis par {f.reported_by} le "
                f"{format_date_short(f.reported_at.date())} ({f.source})" for f in p.reports))
            bar = QProgressBar()
            bar.setRange(0, 100)
            bar.setValue(int(p.ratio * 100))
            bar.setFormat("%p %")
            bar.setAccessibleName(f"Avancement {int(p.ratio * 100)} %")
            self.table.setCellWidget(row, 5, bar)


def add_execution_step(editor) -> ExecutionStep | None:
    """Add the Exécution step after Relecture (a nav entry and its page); None for an unsaved dossier."""
    if editor.dossier_id is None:
        return None
    from PySide6.QtWidgets import QListWidgetItem, QScrollArea

    step = ExecutionStep(editor)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(step)
    editor.stack.addWidget(scroll)
    item = QListWidgetItem(STEP_TITLE)
    item.setData(Qt.ItemDataRole.UserRole, STEP_ID)
    editor.nav.addItem(item)
    # The follow-up is read from the database: only while the step is shown (never on a keystroke
    # elsewhere in the editor), and again each time it is shown.
    editor.dossier_changed.connect(lambda _dossier: step.refresh() if step.isVisible() else None)
    return step
