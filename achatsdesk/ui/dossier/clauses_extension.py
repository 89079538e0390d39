"""The clause area inside the dossier editor (one of the editor's parts, built by DossierEditor).

On the "social" step: the insertion sizing with its formula and editable
factors, the lever recommended by the local supply with its suppliers, and the
suggested social clauses. On the "environnement" step: the suggested
environmental clauses. Each suggestion is a card (title, why, document,
"Ajouter au dossier"); once added, its variables, pre-filled from the dossier,
stay editable and every change is an undoable edit of the dossier.

The sizing factors the buyer types are part of the dossier (``Dossier.insertion``):
each change goes through the editor's ``apply_edit`` (Ctrl+Z undoes it, the
autosave stores it) and the suggestions are pre-filled from the saved factors.
With lots, the insertion clause can be added lot by lot, each lot with its
hours, and each lot's values edited in place.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import replace
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from achatsdesk.domain.clauses import ClauseTemplate
from achatsdesk.domain.dossier import ClauseSelection, Dossier, InsertionFactors
from achatsdesk.domain.eforms import is_environmental, notice_fields
from achatsdesk.domain.suggestions import Suggestion, SuggestionReport, suggest_clauses
from achatsdesk.services.clause_library import ClauseLibrary, load_library
from achatsdesk.services.clause_suggestions import selection_from_suggestion
from achatsdesk.services.insertion_sizing import follow_sizing
from achatsdesk.services.rule_settings import labour_table
from achatsdesk.ui import operations
from achatsdesk.ui.clauses.suggestion_cards import SuggestionCard
from achatsdesk.ui.dossier.insertion_panel import InsertionPanel
from achatsdesk.ui.dossier.lever_panel import LeverPanel

if TYPE_CHECKING:
    from achatsdesk.ui.dossier.editor import DossierEditor

FACTOR_LABELS = {
    "labour_share": "Part de main-d'œuvre",
    "rate": "Taux d'insertion",
    "hourly_cost": "Coût horaire chargé",
    "taken_over_share": "Part de personnel repris",
}


def _differs(shown: dict, stored: dict) -> bool:
    """True when a stored value is not what the form shows (the form would be reloaded)."""
    return any(shown.get(name) != value for name, value in stored.items())


class SuggestionsPanel(QGroupBox):
    """Cards for the suggestions this panel accepts; updated in place while the buyer edits."""

    def __init__(self, title: str, accepts: Callable[[ClauseTemplate], bool], parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setAccessibleName(title)
        self._accepts = accepts
        self.cards: dict[str, SuggestionCard] = {}
        self.empty = QLabel("Aucune clause suggérée pour ce dossier à cette étape.")
        self.uncovered = QLabel()
        self.uncovered.setWordWrap(True)
        self.uncovered.setStyleSheet("color:#a00")
        self.uncovered.setAccessibleName("Obligations sans clause")
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.uncovered)
        self._layout.addWidget(self.empty)
        self.on_add: Callable[[str, dict], None] = lambda *_: None
        self.on_add_per_lot: Callable[[str], None] = lambda *_: None
        self.on_remove: Callable[[str], None] = lambda *_: None
        self.on_edit: Callable[[str, dict], None] = lambda *_: None
        self.on_edit_lot: Callable[[str, int, dict], None] = lambda *_: None

    def show_report(self, report: SuggestionReport, selected: dict[str, ClauseSelection], read_only: bool,
                    per_lot: dict[str, dict[int, ClauseSelection]] | None = None) -> None:
        """``selected``: clauses chosen for the whole contract; ``per_lot``: those chosen lot by lot."""
        per_lot = per_lot or {}
        suggestions = [s for s in report.suggestions if self._accepts(s.clause)]
        ids = [s.clause.id for s in suggestions]
        if ids != list(self.cards):
            self._rebuild(suggestions)
        for suggestion in suggestions:
            card = self.cards[suggestion.clause.id]
            lots_chosen = per_lot.get(suggestion.clause.id, {})
            chosen = selected.get(suggestion.clause.id) or next(iter(lots_chosen.values()), None)
            why = "Pourquoi : " + suggestion.why
            if chosen is not None and chosen.version and chosen.version != suggestion.clause.version:
                why += (f" — version {chosen.version} retenue dans ce dossier ; la bibliothèque propose la "
                        f"version {suggestion.clause.version} : retirez puis ajoutez la clause pour la mettre à jour.")
            card.why.setText(why)
            prefill_changed = suggestion.variables != card.suggestion.variables
            card.suggestion = suggestion
            by_lot = chosen is not None and chosen.lot is not None
            card.set_selected(chosen is not None, per_lot=by_lot)
            card.show_lots({lot: c.variables for lot, c in lots_chosen.items()} if by_lot else {})
            card.add_button.setEnabled(not read_only)
            card.per_lot_button.setEnabled(not read_only)
            card.form.setEnabled(not read_only)
            if by_lot:  # each lot has its own values: the card's lot chooser says which are shown
                card.show_lot_selections({lot: c.variables for lot, c in lots_chosen.items()})
                continue
            card.show_lot_selections({})
            wanted = chosen.variables if chosen is not None else suggestion.variables
            if chosen is not None and _differs(card.form.values(), wanted):
                card.show_values(wanted)
            elif chosen is None and prefill_changed:
                card.show_values(wanted)
        self.empty.setVisible(not suggestions)
        self.uncovered.setText(
            "\n".join(f"Aucune clause de la bibliothèque ne répond à : {o.title}" for o in report.uncovered)
        )
        self.uncovered.setVisible(bool(report.uncovered))

    def _rebuild(self, suggestions: list[Suggestion]) -> None:
        """Diff by clause id: cards that stay are kept (their form, focus and unfolded details
        too), new ones created, gone ones removed, then the cards are put in the new order."""
        wanted = {s.clause.id for s in suggestions}
        for clause_id in [i for i in self.cards if i not in wanted]:
            card = self.cards.pop(clause_id)
            self._layout.removeWidget(card)
            card.deleteLater()
        cards: dict[str, SuggestionCard] = {}
        first = self._layout.indexOf(self.empty) + 1  # the cards come after the two labels
        for position, suggestion in enumerate(suggestions, start=first):
            card = self.cards.get(suggestion.clause.id)
            if card is None:
                card = SuggestionCard(suggestion)
                card.add_requested.connect(lambda cid, values: self.on_add(cid, values))
                card.add_per_lot_requested.connect(lambda cid: self.on_add_per_lot(cid))
                card.remove_requested.connect(lambda cid: self.on_remove(cid))
                card.variables_edited.connect(lambda cid, values: self.on_edit(cid, values))
                card.lot_variables_edited.connect(lambda cid, lot, values: self.on_edit_lot(cid, lot, values))
                self._layout.insertWidget(position, card)
            elif self._layout.indexOf(card) != position:
                self._layout.removeWidget(card)
                self._layout.insertWidget(position, card)
            cards[suggestion.clause.id] = card
        self.cards = cards


class ClausesExtension(QObject):
    def __init__(self, editor: DossierEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        context = editor.context
        self.library: ClauseLibrary = load_library(context.database)
        self.report: SuggestionReport | None = None
        self.dossier: Dossier = editor.current_dossier()
        self.read_only = editor.review_mode

        self.insertion = InsertionPanel(config=context.paths.config)
        self.lever = LeverPanel(context.database, context.reference, context.tasks, config=context.paths.config)
        self.social = SuggestionsPanel("Clauses suggérées : considérations sociales", lambda c: not is_environmental(c.eforms))
        self.environment = SuggestionsPanel("Clauses suggérées : considérations environnementales",
                                           lambda c: is_environmental(c.eforms))
        for panel in (self.social, self.environment):
            panel.on_add, panel.on_remove, panel.on_edit = self.choose_clause, self.drop_clause, self.edit_clause
            panel.on_add_per_lot, panel.on_edit_lot = self.choose_clause_per_lot, self.edit_clause_lot
        self.environment.uncovered.hide()

        social_box = QWidget()
        social_box.setAccessibleName("Clauses sociales du dossier")
        layout = QVBoxLayout(social_box)
        layout.setContentsMargins(0, 0, 0, 0)
        # The hours the chosen clauses state beside the sizing's (services/dossier_figures.py).
        self.clause_hours = QLabel()
        self.clause_hours.setObjectName("clauseHours")
        self.clause_hours.setWordWrap(True)
        self.clause_hours.setAccessibleName("Heures d'insertion des clauses retenues")
        layout.addWidget(self.insertion)
        layout.addWidget(self.clause_hours)
        layout.addWidget(self.lever)
        layout.addWidget(self.social)
        editor.add_step_widget("social", social_box)
        editor.add_step_widget("environnement", self.environment)
        self.sourcing = QLabel()
        self.sourcing.setObjectName("sourcingBox")
        self.sourcing.setWordWrap(True)
        self.sourcing.setAccessibleName("Offre inclusive locale")
        self.sourcing.linkActivated.connect(self._open_catalogue)
        editor.add_step_widget("besoin", self.sourcing)
        notice_box = QGroupBox("Avis de marché : achats stratégiques (eForms)")
        notice_box.setAccessibleName("Avis de marché : codes eForms")
        self.notice = QLabel()
        self.notice.setObjectName("noticeTags")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # to copy a code
        self.notice.setAccessibleName("Codes eForms à déclarer dans l'avis")
        QVBoxLayout(notice_box).addWidget(self.notice)
        editor.add_step_widget("relecture", notice_box)
        self.lever.advice_changed.connect(self._show_sourcing)

        self.insertion.set_read_only(self.read_only)
        self.insertion.factor_edited.connect(self.edit_factor)
        self.insertion.sizing_changed.connect(lambda _sizing: self.suggest())
        self.lever.advice_changed.connect(lambda _advice: self.suggest())
        editor.dossier_changed.connect(self.show_dossier)
        self.show_dossier(self.dossier)

    # --- showing --------------------------------------------------------------------
    def _show_sourcing(self, advice) -> None:
        """The sourcing box of "Besoin et sourcing": how many suppliers, which lever."""
        if advice is None:
            self.sourcing.setText("")
            return
        count = advice.decision.supplier_count
        where = f" ({advice.area})" if advice.area else ""
        unknown = self.lever.unknown_sector
        more = (f"<br>+ {unknown} structure{'s' if unknown > 1 else ''} sans secteur connu dans la même zone "
                "(<a href='catalogue'>voir dans le catalogue</a>) : leur activité ne dit pas si elles "
                "font ce métier, appelez-les." if unknown else "")
        self.sourcing.setText(
            f"<b>{count} structure{'s' if count > 1 else ''} inclusive{'s' if count > 1 else ''}</b> "
            f"pour ce secteur{where}. Levier conseillé : <b>{advice.decision.label}</b> "
            f"(détail à l'étape Considérations sociales).{more}"
        )

    def _open_catalogue(self, _link: str) -> None:
        """The structures near the place, sector unknown included: the catalogue around the dossier's commune."""
        window = self.editor.window()
        if hasattr(window, "show_section"):
            page = window.show_section("catalogue")
            if hasattr(page, "preset_search") and self.dossier.place_insee:
                page.preset_search(self.dossier.place_insee)  # no sector filter: the unknown ones show too

    def show_dossier(self, dossier: Dossier) -> None:
        self.dossier = dossier
        self.insertion.show_dossier(dossier)  # recomputes the hours, then suggest()
        self.lever.show_dossier(dossier)  # when the count lands, suggest() again with the lever

    def suggest(self) -> None:
        analysis = self.editor.analysis
        if analysis is None:  # the editor analyses the dossier before building its parts
            from achatsdesk.services.dossier_rules import analyse

            analysis = analyse(self.dossier)
        lever = self.lever.advice.decision if self.lever.advice else None
        self.report = suggest_clauses(
            self.dossier, analysis.assessment, self.library.all(), sizing=self.insertion.sizing, lever=lever,
            taken_over_share=self.insertion.factors()["taken_over_share"],  # the dossier's saved factor
        )
        selected = {c.clause_id: c for c in self.dossier.clauses if c.lot is None}
        per_lot: dict[str, dict[int, ClauseSelection]] = {}
        for c in self.dossier.clauses:
            if c.lot is not None:
                per_lot.setdefault(c.clause_id, {})[c.lot] = c
        self._show_clause_hours()
        self.social.show_report(self.report, selected, self.read_only, per_lot)
        self.environment.show_report(SuggestionReport(self.report.suggestions, ()), selected, self.read_only, per_lot)
        self._show_notice_tags()

    def _show_clause_hours(self) -> None:
        from achatsdesk.services.dossier_figures import dossier_figures, hours_summary

        lines = hours_summary(dossier_figures(self.dossier, self.library))
        self.clause_hours.setText("Heures portées par les clauses retenues :\n" + "\n".join(f"• {line}" for line in lines)
                                  if lines else "")
        self.clause_hours.setVisible(bool(lines))

    def _show_notice_tags(self) -> None:
        """On the Relecture step: what the notice must declare because of the chosen clauses."""
        chosen = [self.library.find(c.clause_id) for c in self.dossier.clauses]
        fields = notice_fields(t.eforms for t in chosen if t is not None)
        if not fields:
            self.notice.setText("Aucune clause retenue ne fait encore de ce marché un achat stratégique à déclarer "
                                "dans l'avis (eForms).")
            return
        lines = [
            f"<b>{escape(field.label)}</b> : " + ", ".join(f"{code} ({escape(meaning)})" for code, meaning in field.codes)
            for field in fields
        ]
        self.notice.setText("À déclarer dans l'avis de marché, pour chaque lot concerné :<br>" + "<br>".join(lines))

    # --- edits of the dossier -----------------------------------------------------------
    def _edit(self, label: str, mutation: Callable[[Dossier], None], key: str = "") -> None:
        # Undoable, saved by the editor's autosave; a refused edit is worded by the one error path.
        operations.attempt(self.editor.context, self.editor, lambda: self.editor.apply_edit(label, mutation, key))

    def edit_factor(self, name: str, factors: InsertionFactors) -> None:
        """A sizing factor typed by the buyer: saved with the dossier, undoable (one step per factor typed)."""
        value = getattr(factors, name)

        def change(dossier: Dossier) -> None:
            before = copy.deepcopy(dossier)
            dossier.insertion = replace(dossier.insertion or InsertionFactors(), **{name: value})
            # Chosen clauses with the computed hours follow (labour shares of the window's configuration).
            follow_sizing(before, dossier, self.library, labour_table(self.editor.context.paths.config))

        self._edit(f"Modifier : {FACTOR_LABELS[name].lower()}", change, f"insertion-{name}")

    def choose_clause(self, clause_id: str, values: dict) -> None:
        """For the whole contract (pooled hours): replaces the clause chosen lot by lot, if any."""
        clause = self.library.get(clause_id)
        selection = ClauseSelection(clause_id=clause.id, version=clause.version, variables=dict(values))

        def add(dossier: Dossier) -> None:
            dossier.clauses = [c for c in dossier.clauses if c.clause_id != clause_id]
            dossier.clauses.append(selection)

        self._edit(f"Ajouter la clause « {clause.title} »", add)

    def choose_clause_per_lot(self, clause_id: str) -> None:
        """One selection per lot, each with its lot's own pre-filled values (insertion hours of the lot)."""
        clause = self.library.get(clause_id)
        suggestion = next((s for s in (self.report.suggestions if self.report else ()) if s.clause.id == clause_id), None)
        if suggestion is None or not suggestion.lot_variables:
            return
        selections = [selection_from_suggestion(clause, lv.variables, lv.lot) for lv in suggestion.lot_variables]

        def add(dossier: Dossier) -> None:
            dossier.clauses = [c for c in dossier.clauses if c.clause_id != clause_id]
            dossier.clauses.extend(copy.deepcopy(selections))

        self._edit(f"Ajouter la clause « {clause.title} » lot par lot", add)

    def drop_clause(self, clause_id: str) -> None:
        clause = self.library.get(clause_id)

        def remove(dossier: Dossier) -> None:
            dossier.clauses = [c for c in dossier.clauses if c.clause_id != clause_id]

        self._edit(f"Retirer la clause « {clause.title} »", remove)

    def edit_clause(self, clause_id: str, values: dict) -> None:
        def change(dossier: Dossier) -> None:
            for selection in dossier.clauses:
                if selection.clause_id == clause_id and selection.lot is None:
                    selection.variables = dict(values)

        self._edit("Modifier les variables d'une clause", change, f"clause-{clause_id}")

    def edit_clause_lot(self, clause_id: str, lot: int, values: dict) -> None:
        """The values of a clause chosen lot by lot, for one lot."""
        def change(dossier: Dossier) -> None:
            for selection in dossier.clauses:
                if selection.clause_id == clause_id and selection.lot == lot:
                    selection.variables = dict(values)

        self._edit(f"Modifier les variables d'une clause (lot {lot + 1})", change, f"clause-{clause_id}-lot-{lot}")

