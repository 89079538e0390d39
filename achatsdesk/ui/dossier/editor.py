"""The dossier editor: the checklist's steps in a side navigation with their progress,
the current step in the middle, the live obligations panel on the right.

Every edit is an undoable command over a copy of the dossier; the obligations,
the checklist and the progress marks are recomputed from the rules after each
one, and the dossier is saved about a second after the last edit. In review
mode the buyer's fields are read-only and the head comments each item and
decides at the bottom.

The editor is built of typed parts, constructed here and nowhere else:
``clauses_extension`` (clause suggestions, insertion sizing, lever),
``export_actions`` (Word annex, PDF report, shortlist XLSX) and
``shortlist_box`` (the dossier's supplier list). A part receives the editor
and uses its API (``apply_edit``, ``current_dossier``, ``add_step_widget``,
``add_action``, ``dossier_changed``…); parts never probe one another.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.domain.checklist import ChecklistStep, remaining
from achatsdesk.domain.dossier import STATUS_LABELS, Dossier, DossierStatus, status_after_change
from achatsdesk.domain.review import open_points, pending_return, validation_refused
from achatsdesk.errors import AchatsdeskError, StaleDossierError, ValidationError
from achatsdesk.services import dossier_locks
from achatsdesk.services import dossiers as service
from achatsdesk.services.dossier_rules import DossierAnalysis, analyse, rule_resources
from achatsdesk.ui import operations
from achatsdesk.ui.context import ShellContext
from achatsdesk.ui.dossier.autosave import Autosaver
from achatsdesk.ui.dossier.checklist_view import StepPage
from achatsdesk.ui.dossier.clauses_extension import ClausesExtension
from achatsdesk.ui.dossier.contract_fields import ContractFields
from achatsdesk.ui.dossier.execution_step import add_execution_step
from achatsdesk.ui.dossier.export_extension import ExportActions
from achatsdesk.ui.dossier.fields import DossierFields
from achatsdesk.ui.dossier.lots_editor import LotsEditor
from achatsdesk.ui.dossier.obligations_panel import ObligationsPanel
from achatsdesk.ui.dossier.review_bar import (
    ReviewBar,
    changes_text,
    history_text,
    return_banner_text,
)
from achatsdesk.ui.dossier.shortlist_extension import ShortlistBox
from achatsdesk.ui.dossier.undo import SnapshotCommand, UndoKeyRouter
from achatsdesk.ui.settings import Settings
from achatsdesk.ui.widgets.remembered import remember_splitter

_STEP_ROLE = Qt.ItemDataRole.UserRole
log = logging.getLogger(__name__)


def _label(action: QAction, verb: str, text: str) -> None:
    """ "Annuler : ajouter un lot"; the action may already be gone while the editor closes."""
    import shiboken6

    if shiboken6.isValid(action):
        action.setText(f"{verb} : {text[:1].lower()}{text[1:]}" if text else verb)


class DossierEditor(QWidget):
    dossier_changed = Signal(object)  # the Dossier after each edit (the parts listen to it)
    save_status_changed = Signal(str)
    decision_recorded = Signal(object)  # ReviewDecision
    workflow_changed = Signal(object)  # DossierStatus, after a sending, a decision or a merged return

    def __init__(self, context: ShellContext, dossier_id: int, review_mode: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.dossier_id: int | None = dossier_id
        self.review_mode = review_mode
        from achatsdesk.services.split_needs import SplitNeedWatch

        self.split_watch = SplitNeedWatch(context.database, dossier_id)  # the homogeneous-needs warning
        stored = service.get_dossier(context.database, dossier_id)
        self._dossier: Dossier = stored.dossier  # the one copy being edited: no query while typing
        self._revision = stored.revision  # what the next save starts from (see save_dossier)
        self._snapshot = stored.shortlist_snapshot
        self._template = rule_resources().checklist
        self.analysis: DossierAnalysis | None = None
        self.setAccessibleName("Relecture du dossier" if review_mode else "Édition du dossier")

        self.undo_stack = QUndoStack(self)
        self.autosaver = Autosaver(self._save_and_announce, self)
        self.autosaver.status_changed.connect(self._show_save_status)
        self.toolbar = QToolBar("Dossier")
        self.toolbar.setAccessibleName("Actions du dossier")
        self.undo_action = self._shortcut(self.undo_stack.createUndoAction(self, "Annuler"), QKeySequence("Ctrl+Z"))
        self.redo_action = self._shortcut(self.undo_stack.createRedoAction(self, "Rétablir"), QKeySequence("Ctrl+Y"))
        # "Annuler : Ajouter une clause" (Qt would write "Annuler Ajouter une clause", or nothing to say when empty).
        self.undo_stack.undoTextChanged.connect(lambda text: _label(self.undo_action, "Annuler", text))
        self.undo_stack.redoTextChanged.connect(lambda text: _label(self.redo_action, "Rétablir", text))

        self.nav = QListWidget()
        self.nav.setAccessibleName("Étapes du dossier")
        self.nav.setMaximumWidth(250)
        self.nav.setWordWrap(True)  # long step names wrap rather than scroll sideways
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setSpacing(3)
        self.stack = QStackedWidget()
        self.pages: dict[str, StepPage] = {}
        self._scrolls: dict[str, QScrollArea] = {}
        for step_id, title in self._template.steps:
            page = StepPage(step_id, title, self._template, review_mode)
            page.state_requested.connect(self._on_item_state)
            page.comment_requested.connect(self._on_item_comment)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(page)
            scroll.viewport().installEventFilter(self)  # resize: page.fit_width
            self.pages[step_id], self._scrolls[step_id] = page, scroll
            self.stack.addWidget(scroll)
            item = QListWidgetItem(title)
            item.setData(_STEP_ROLE, step_id)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_step)

        self.fields = DossierFields(context.reference)
        self.fields.edited.connect(self.apply_edit)
        self.fields.set_read_only(review_mode)
        self.pages["besoin"].top.addWidget(self.fields)
        agec = rule_resources().rules.families.get("agec")
        self.contract = ContractFields([(g.id, g.label) for g in (agec.groups if agec else ())])
        self.contract.edited.connect(self.apply_edit)
        self.contract.set_read_only(review_mode)
        self.pages["besoin"].top.addWidget(self.contract)
        self.lots = LotsEditor(context.reference)
        self.lots.edited.connect(self.apply_edit)
        self.lots.set_read_only(review_mode)
        self.pages["allotissement"].top.addWidget(self.lots)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Résumé du dossier")
        self.pages["relecture"].top.addWidget(self.summary)
        self.rounds = QLabel()
        self.rounds.setWordWrap(True)
        self.rounds.setAccessibleName("Historique des relectures")
        self.pages["relecture"].top.addWidget(self.rounds)
        self.changes = QLabel()
        self.changes.setWordWrap(True)
        self.changes.setAccessibleName("Historique des modifications")
        self.pages["relecture"].top.addWidget(self.changes)

        self.obligations = ObligationsPanel()
        self.obligations.obligation_activated.connect(self.go_to_obligation)
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.addWidget(self.obligations)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([200, 820, 260])  # the current step gets the room (at 1366 px too)
        remember_splitter(splitter, context.settings, Settings.dossier_editor_splitter)
        self.splitter = splitter

        self.save_status = QLabel()
        self.save_status.setAccessibleName("État de l'enregistrement")
        self.status_banner = QLabel()
        self.status_banner.setObjectName("statusBanner")
        self.status_banner.setWordWrap(True)
        self.status_banner.setStyleSheet("background:#fff3cd; color:#111; padding:4px 8px")
        self.status_banner.setAccessibleName("Statut du dossier modifié")
        self.status_banner.hide()
        self.return_banner = QLabel()
        self.return_banner.setObjectName("returnBanner")
        self.return_banner.setWordWrap(True)
        self.return_banner.setStyleSheet("background:#f8d7da; color:#111; padding:6px 8px; font-weight:600")
        self.return_banner.setAccessibleName("Dossier retourné par le relecteur")
        self.return_banner.hide()
        # Team mode: a colleague's soft lock, and a colleague's save of this dossier (not reloaded
        # over the buyer's edits: the buyer chooses when).
        self.lock_banner = QLabel()
        self.lock_banner.setObjectName("lockBanner")
        self.lock_banner.setWordWrap(True)
        self.lock_banner.setStyleSheet("background:#e2e3f3; color:#111; padding:4px 8px")
        self.lock_banner.setAccessibleName("Dossier en cours de modification par un collègue")
        self.lock_banner.hide()
        self.elsewhere_notice = QWidget()
        self.elsewhere_notice.setObjectName("elsewhereNotice")
        self.elsewhere_notice.setStyleSheet("background:#fff3cd; color:#111")
        self.elsewhere_text = QLabel()
        self.elsewhere_text.setAccessibleName("Dossier modifié par un collègue")
        self.reload_button = QPushButton("Recharger")
        self.reload_button.setAccessibleName("Recharger la version enregistrée par le collègue")
        self.reload_button.clicked.connect(lambda: self.reload_from_elsewhere())
        notice_row = QHBoxLayout(self.elsewhere_notice)
        notice_row.setContentsMargins(8, 2, 8, 2)
        notice_row.addWidget(self.elsewhere_text, 1)
        notice_row.addWidget(self.reload_button)
        self.elsewhere_notice.hide()
        self.changed_elsewhere: object | None = None  # the DossierEvent shown in the notice
        self.review_bar = ReviewBar()
        self.review_bar.decision_requested.connect(self.decide)
        self.review_bar.setVisible(review_mode)
        self.review_bar.reviewer.setText(context.settings.get(Settings.reviewer_name))  # remembered
        self.review_bar.apply_rights_of(context.database)  # a buyer sees no decision buttons (team mode)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.return_banner)
        layout.addWidget(self.status_banner)
        layout.addWidget(self.lock_banner)
        layout.addWidget(self.elsewhere_notice)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.review_bar)
        layout.addWidget(self.save_status)

        self._refresh(force=True)
        self.nav.setCurrentRow(0)
        self._show_save_status(self.autosaver.status_text())
        # The parts, in the order their widgets appear on the steps they share.
        self.clauses_extension = ClausesExtension(self)
        self.export_actions = ExportActions(self)
        self.shortlist_box = ShortlistBox(self)
        self.add_step_widget("besoin", self.shortlist_box)
        self.execution_step = add_execution_step(self)  # after Relecture: award, follow-up, penalties
        self.undo_keys = UndoKeyRouter(self)  # Ctrl+Z / Ctrl+Y from any field reach undo_stack

        self._team = context.database.is_team  # alone, every lock would be the user's own
        self._lock_timer = QTimer(self, interval=int(dossier_locks.LOCK_REFRESH.total_seconds() * 1000))
        self._lock_timer.timeout.connect(self.refresh_lock)
        context.dossier_changed_elsewhere.connect(self._on_changed_elsewhere)
        if self._team:
            self.refresh_lock()
            self._lock_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            page = next((p for sid, p in self.pages.items() if self._scrolls[sid].viewport() is watched), None)
            if page is not None:
                page.fit_width(watched.width())
        return False

    def _shortcut(self, action: QAction, keys: QKeySequence) -> QAction:
        action.setShortcut(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        self.toolbar.addAction(action)
        return action

    def _save_and_announce(self) -> None:
        """The autosave: once stored, the other views hear of it (the dossiers list, the indicators)."""
        self._save()  # raises when it could not save: nothing to announce then
        if self.dossier_id is not None:
            self.context.dossier_saved.emit(self.dossier_id)

    # --- the API the parts use ------------------------------------------------------
    def current_dossier(self) -> Dossier:
        """A copy of the dossier as edited, from memory: every change goes through apply_edit."""
        return copy.deepcopy(self._dossier)

    def add_step_widget(self, step_id: str, widget: QWidget) -> None:
        self.pages[step_id].extensions.addWidget(widget)

    def add_action(self, action: QAction) -> None:
        self.toolbar.addAction(action)
        self.addAction(action)

    # --- edits ------------------------------------------------------------------------
    def apply_edit(self, label: str, mutation: Callable[[Dossier], None], key: str = "") -> None:
        """Turn a change of the dossier into an undoable command (merged with the previous one of the same key)."""
        before = copy.deepcopy(self._dossier)
        after = copy.deepcopy(self._dossier)
        mutation(after)
        if after == before:
            return
        self.undo_stack.push(SnapshotCommand(self._set_dossier, before, after, label, key or None))

    def _set_dossier(self, dossier: Dossier) -> None:
        """Show a snapshot (an edit, undo or redo). The workflow is not part of undo: status and
        review history stay as they are, except that a change of content of a validated dossier,
        or of one under review, sends it back to draft."""
        previous = self._dossier
        shown = copy.deepcopy(dossier)
        shown.reviews = previous.reviews
        shown.status = status_after_change(previous.status, previous, shown)
        self._dossier = shown
        if shown.status != previous.status:
            self._announce_reopened(previous.status)
        self._refresh(force=True)
        self.autosaver.schedule()
        self.dossier_changed.emit(self.current_dossier())

    def _on_item_state(self, item_id: str, state) -> None:
        title = self._item_title(item_id)
        self.apply_edit(f"Modifier « {title} »", lambda d: d.items.__setitem__(item_id, state), f"item-{item_id}")

    def _on_item_comment(self, item_id: str, text: str) -> None:
        def change(d: Dossier) -> None:
            state = copy.deepcopy(d.items.get(item_id)) or self._blank_state()
            state.comment = text
            d.items[item_id] = state

        self.apply_edit("Commenter un élément", change, f"comment-{item_id}")

    @staticmethod
    def _blank_state():
        from achatsdesk.domain.checklist import ItemState

        return ItemState()

    def _item_title(self, item_id: str) -> str:
        return next((i.title for i in self._template.items if i.id == item_id), item_id)

    def set_status(self, status: DossierStatus) -> None:
        """A workflow change (sending for review): saved at once, not part of undo."""
        self._dossier.status = status
        self.autosaver.schedule()
        self.autosaver.flush()
        self._refresh()

    def _announce_reopened(self, former: DossierStatus) -> None:
        was = "validé" if former == DossierStatus.VALIDE else "envoyé en relecture"
        text = (f"Ce dossier était {was} : votre modification le fait repasser en brouillon. "
                "Renvoyez-le en relecture une fois prêt ; la décision précédente reste dans l'historique.")
        self.status_banner.setText(text)
        self.status_banner.show()
        self._show_save_status("Dossier repassé en brouillon après modification.")

    # --- review -----------------------------------------------------------------------
    def confirm_validation(self, points: list[str]) -> bool:
        """Ask the head before validating a dossier with open points (tests replace this)."""
        listed = "\n".join(f"• {p}" for p in points)
        answer = QMessageBox.question(
            self, "Valider malgré les points ouverts ?",
            f"Ce dossier a encore des points ouverts :\n{listed}\n\nValider quand même ?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def decide(self, decision: str, reviewer: str, comment: str) -> None:
        if decision == "valide" and self.analysis is not None:
            points = open_points(self.analysis.steps, len(self.current_dossier().clauses))
            if points and not self.confirm_validation(points):
                self._show_save_status("Validation annulée : le dossier garde son statut.")
                return
            def allowed() -> None:  # a refusal is worded by the one error path
                refusal = validation_refused(points, comment)
                if refusal:
                    raise ValidationError(refusal)

            if not operations.attempt(self.context, self, allowed):
                return

        def record():
            self.autosaver.flush()  # the comments first
            return service.record_review(self.context.database, self.dossier_id, decision, reviewer, comment)

        review = operations.run(self.context, self, record, changes=operations.Changes(dossier=self.dossier_id))
        if review is None:
            return
        self.context.settings.set(Settings.reviewer_name, review.reviewer)
        stored = service.get_dossier(self.context.database, self.dossier_id)
        self._dossier.status, self._dossier.reviews = stored.dossier.status, stored.dossier.reviews
        self._revision = stored.revision
        self.review_bar.comment.clear()
        self._refresh()
        self._show_save_status(f"Décision enregistrée : {STATUS_LABELS[self._dossier.status]} par {review.reviewer}.")
        self.decision_recorded.emit(review)
        self.workflow_changed.emit(self._dossier.status)

    def reload_workflow(self) -> None:
        """Status and review rounds as stored (after a sending or a merged return)."""
        stored = service.get_dossier(self.context.database, self.dossier_id)
        self._dossier.status, self._dossier.reviews = stored.dossier.status, stored.dossier.reviews
        self._revision = stored.revision  # the workflow write counted one more revision
        self._refresh()
        self.workflow_changed.emit(self._dossier.status)

    def shortlist_snapshot(self) -> dict | None:
        """The shortlist received with an imported dossier (plain data: name, suppliers with SIRET,
        kind, commune…; see services/dossier_exchange.py), as read with the dossier; None when none came."""
        return self._snapshot

    # --- saving -------------------------------------------------------------------------
    def _save(self) -> None:
        before = self._dossier.status
        failed: list[BaseException] = []

        def refused(exc: BaseException) -> None:
            if isinstance(exc, StaleDossierError):  # overtaken by another writer: "Recharger" or "Garder une copie"
                self._resolve_stale(exc)
            else:
                failed.append(exc)
                operations.report(self, exc)

        revision = operations.run(self.context, self, lambda: service.save_dossier(
            self.context.database, self.dossier_id, self._dossier, self._revision), failure=refused)
        if failed:
            raise failed[0]  # the autosaver keeps the edits in memory and retries at the next edit
        if revision is None:
            return  # stale: resolved above, the stored version is shown
        self._revision = revision
        if self._dossier.status != before:  # the service reopened it (a change the editor did not see as one)
            self._announce_reopened(before)
            self._refresh()

    def choose_after_stale_save(self, exc: StaleDossierError) -> str:
        """Ask the buyer what to do with a version another writer overtook: "reload" or "copy"
        (tests replace this). Closing the box keeps a copy: nothing is lost."""
        box = QMessageBox(QMessageBox.Icon.Warning, exc.title, exc.message, parent=self)
        box.setInformativeText(exc.hint)
        reload_button = box.addButton("Recharger", QMessageBox.ButtonRole.DestructiveRole)
        copy_button = box.addButton("Garder une copie", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(copy_button)
        box.setEscapeButton(copy_button)
        box.exec()
        return "reload" if box.clickedButton() is reload_button else "copy"

    def _resolve_stale(self, exc: StaleDossierError) -> None:
        """The other writer's version is shown either way; with "copy", the buyer's own version
        is first stored as a new dossier."""
        where = f"par {exc.changed_by}" if exc.changed_by else "ailleurs"
        message = f"Dossier rechargé : la version enregistrée {where} est affichée."
        if self.choose_after_stale_save(exc) == "copy":
            copy_id = service.keep_copy(self.context.database, self._dossier)
            message = (f"Votre version est gardée dans un nouveau dossier (n° {copy_id}) ; "
                       f"la version enregistrée {where} est affichée ici.")
        self._reload_stored()
        self.status_banner.setText(message)  # stays shown: the save line below is rewritten every second
        self.status_banner.show()

    def _reload_stored(self) -> None:
        stored = service.get_dossier(self.context.database, self.dossier_id)
        self._dossier, self._revision, self._snapshot = stored.dossier, stored.revision, stored.shortlist_snapshot
        self.undo_stack.clear()  # the snapshots belong to the version left behind
        self.changed_elsewhere = None
        self.elsewhere_notice.hide()
        self._refresh(force=True)
        self.dossier_changed.emit(self.current_dossier())

    # --- colleagues (team mode) ---------------------------------------------------------
    def _on_changed_elsewhere(self, event) -> None:
        """A notification from the team server (services/team_events.DossierEvent)."""
        from achatsdesk.services.team_events import RESYNC

        if self.dossier_id is None or (event.id != self.dossier_id and event.action != RESYNC):
            return
        if event.action != RESYNC and event.revision > self._revision:
            self.show_changed_elsewhere(event)
        # Whatever it was, the lock may have changed hands (taken, given back): read it again,
        # and take it when it became free. Reading never notifies, so this cannot echo.
        self.refresh_lock(take=False)

    def show_changed_elsewhere(self, event, at: datetime | None = None) -> None:
        """ "Modifié par X à HH:MM — Recharger": never reloaded over the buyer's edits unasked."""
        self.changed_elsewhere = event
        who = f"par {event.by} " if event.by else ""
        self.elsewhere_text.setText(f"Modifié {who}à {(at or datetime.now()):%H:%M} — "
                                    "rechargez pour voir sa version.")
        self.elsewhere_notice.show()

    def reload_from_elsewhere(self) -> None:
        """The notice's "Recharger". Edits not yet saved go first: their save is refused as stale
        and the buyer chooses to reload or to keep them as a copy, as for any conflict."""
        self.autosaver.flush()
        if self.autosaver.dirty:
            return  # the save failed for another reason (shown): the edits stay on screen
        if self.changed_elsewhere is not None:
            self._reload_stored()
            self._show_save_status("Dossier rechargé : la version du collègue est affichée.")

    def refresh_lock(self, take: bool = True) -> None:
        """Take or refresh the soft lock (editing), or only read it (reviewing, or after a
        notification); show a colleague's. Advisory: a failure never stops the editing."""
        if not self._team or self.dossier_id is None:
            return
        database = self.context.database
        try:
            state = dossier_locks.lock_of(database, self.dossier_id)
            if not self.review_mode and (take or state is None):
                state = dossier_locks.take_lock(database, self.dossier_id)
        except Exception as exc:  # noqa: BLE001 - the revision check protects the save, not the lock
            log.info("dossier %s: soft lock unavailable: %s", self.dossier_id, exc)
            return
        self.show_lock(state)

    def show_lock(self, state: dossier_locks.LockState | None) -> None:
        held = state is not None and bool(state.holder) and not state.mine
        self.lock_banner.setText(state.text if held else "")
        self.lock_banner.setVisible(held)

    def release_lock(self, *, closing: bool = True) -> None:
        """Closing the editor: the lock goes back at once (else colleagues see it until it is stale).
        ``closing=False`` (the window is asked to close, which may still be refused): the periodic
        refresh goes on and takes the lock again if the editor stays open."""
        if closing:
            self._lock_timer.stop()
        if not self._team or self.dossier_id is None or self.review_mode:
            return
        try:
            dossier_locks.release_lock(self.context.database, self.dossier_id)
        except Exception as exc:  # noqa: BLE001 - it becomes stale by itself
            log.info("dossier %s: soft lock not released: %s", self.dossier_id, exc)

    def save_now(self) -> None:
        self.autosaver.flush()

    def _show_save_status(self, text: str) -> None:
        self.save_status.setText(text)
        self.save_status_changed.emit(text)

    # --- showing ------------------------------------------------------------------------
    def _refresh(self, force: bool = False) -> None:
        self.analysis = analyse(self._dossier)
        self.fields.show_dossier(self._dossier)
        self.contract.show_dossier(self._dossier)
        self.lots.show_dossier(self._dossier)
        self.lots.show_procedure(self.analysis.assessment.details)
        for step in self.analysis.steps:
            self.pages[step.id].show_step(step, force=force)
        self._update_nav(self.analysis.steps)
        self.obligations.show_assessment(self.analysis.assessment)
        self.obligations.show_warnings(self._split_need_warnings())
        self.obligations.show_amount_basis(self._dossier.amount_eur, self._dossier.amount_from_lots, len(self._dossier.lots))
        self._update_summary(self.analysis.steps)
        self.review_bar.show_history(self._dossier.reviews)
        self.rounds.setText(history_text(self._dossier.reviews))
        returned = None if self.review_mode else pending_return(self._dossier.reviews)
        self.return_banner.setText(return_banner_text(returned) if returned else "")
        self.return_banner.setVisible(returned is not None)

    def _split_need_warnings(self) -> list[str]:
        """The homogeneous-needs warning over the stored dossiers, kept between keys
        (services/split_needs.py SplitNeedWatch): an amount typed digit by digit no longer reads
        2 000 dossiers per digit."""
        try:
            return self.split_watch.warnings(self._dossier)
        except Exception:  # noqa: BLE001 - a warning must never stop the editor; the log keeps why
            logging.getLogger(__name__).exception("homogeneous-needs check failed")
            return []

    def _update_nav(self, steps: list[ChecklistStep]) -> None:
        for row, step in enumerate(steps):
            item = self.nav.item(row)
            done, total = step.progress
            mark = " ✓" if total and done == total else ""
            text = f"{step.title} {done}/{total}{mark}"
            if item.text() != text:
                item.setText(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{step.title} : {done} sur {total} traités")

    def step_label(self, step_id: str) -> str:
        row = [s for s, _ in self._template.steps].index(step_id)
        return self.nav.item(row).text()

    def _update_summary(self, steps: list[ChecklistStep]) -> None:
        todo = remaining(steps)
        status = STATUS_LABELS[self._dossier.status]
        lines = [f"<b>Statut : {status}</b>"]
        if todo:
            lines.append(f"Reste à faire ({len(todo)}) :")
            lines += [f"• {i.title}{' (obligatoire)' if i.mandatory else ''}" for i in todo]
        else:
            lines.append("Tous les éléments de la check-list sont traités.")
        self.summary.setText("<br>".join(lines))

    def go_to_obligation(self, obligation_id: str) -> None:
        """Show the checklist item that answers an obligation."""
        for row, step in enumerate(self.analysis.steps if self.analysis else []):
            for item in step.items:
                if item.obligation_id == obligation_id:
                    self.nav.setCurrentRow(row)
                    widget = self.pages[step.id].rows[item.id]
                    self._scrolls[step.id].ensureWidgetVisible(widget)
                    (widget.comment if self.review_mode else widget.status).setFocus()
                    return

    def _show_step(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        if self.nav.item(row).data(_STEP_ROLE) == "relecture":
            self._show_changes()
        # Lay the step out now rather than at the next event-loop turn, so that a
        # click or a scroll right after switching finds every widget at its place.
        scroll = self.stack.currentWidget()
        scroll.widget().layout().activate()
        scroll.widget().resize(scroll.viewport().width(), max(scroll.viewport().height(), scroll.widget().sizeHint().height()))

    def _show_changes(self) -> None:
        """Who changed the dossier and when, read when the Relecture step is shown (never on a keystroke)."""
        from achatsdesk.services.team import dossier_history

        entries = None
        if self.dossier_id is not None:
            try:
                entries = dossier_history(self.context.database, self.dossier_id)
            except AchatsdeskError:
                entries = None  # the history is information: the step still shows without it
        self.changes.setText(changes_text(entries))

    def current_step(self) -> str:
        return self.nav.currentItem().data(_STEP_ROLE)

