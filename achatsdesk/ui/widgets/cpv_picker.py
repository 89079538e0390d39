"""CPV picker: search as you type over the 9 454 codes, or browse the hierarchy by level.

With an empty search field the tree shows the divisions, each level opening
on demand; typing shows the best matches (any word order, accents optional).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from achatsdesk.services.reference import CpvEntry, ReferenceService

_CODE_ROLE = Qt.ItemDataRole.UserRole
_LOADED_ROLE = Qt.ItemDataRole.UserRole + 1


class CpvPicker(QWidget):
    cpv_selected = Signal(str)  # code, e.g. "90911200-8", on double-click or Enter
    current_changed = Signal(str)

    def __init__(self, reference: ReferenceService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reference = reference
        self.search = QLineEdit()
        self.search.setPlaceholderText("Code ou libellé CPV (ex. : nettoyage de bâtiments, 909…)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Recherche de code CPV")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Code", "Libellé"])
        self.tree.setColumnWidth(0, 110)
        self.tree.setAccessibleName("Codes CPV")
        self.tree.setUniformRowHeights(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)

        # A short debounce keeps typing fluid; the query itself takes a few ms.
        self._debounce = QTimer(self, singleShot=True, interval=120)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._accept_current)
        self.tree.itemExpanded.connect(self._load_children)
        self.tree.itemActivated.connect(lambda item, _c: self.cpv_selected.emit(item.data(0, _CODE_ROLE)))
        self.tree.currentItemChanged.connect(
            lambda item, _p: self.current_changed.emit(item.data(0, _CODE_ROLE) if item else "")
        )
        self.refresh()

    def selected_code(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, _CODE_ROLE) if item else None

    def refresh(self) -> None:
        text = self.search.text().strip()
        self.tree.clear()
        if not text:
            self.tree.setRootIsDecorated(True)
            for entry in self._reference.cpv_children(None):
                self.tree.addTopLevelItem(self._item(entry, expandable=True))
            return
        self.tree.setRootIsDecorated(False)
        for entry in self._reference.search_cpv(text, limit=50):
            self.tree.addTopLevelItem(self._item(entry, expandable=False))
        if self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def result_codes(self) -> list[str]:
        return [self.tree.topLevelItem(i).data(0, _CODE_ROLE) for i in range(self.tree.topLevelItemCount())]

    def _item(self, entry: CpvEntry, *, expandable: bool) -> QTreeWidgetItem:
        item = QTreeWidgetItem([entry.code, entry.label])
        item.setData(0, _CODE_ROLE, entry.code)
        item.setToolTip(1, f"{entry.label} (niveau {entry.level}, {entry.nature})")
        if expandable and entry.level < 7:
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        return item

    def _load_children(self, item: QTreeWidgetItem) -> None:
        if item.data(0, _LOADED_ROLE):
            return
        item.setData(0, _LOADED_ROLE, True)
        children = self._reference.cpv_children(item.data(0, _CODE_ROLE))
        if not children:
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicator)
        for entry in children:
            item.addChild(self._item(entry, expandable=True))

    def _accept_current(self) -> None:
        code = self.selected_code()
        if code:
            self.cpv_selected.emit(code)


class CpvPickerDialog(QDialog):
    """The picker in a dialog, for a form's "Choisir…" button."""

    def __init__(self, reference: ReferenceService, parent: QWidget | None = None, initial: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Choisir un code CPV")
        self.resize(720, 520)
        self.picker = CpvPicker(reference)
        self.picker.search.setText(initial)
        self.picker.refresh()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.picker.cpv_selected.connect(lambda _c: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker)
        layout.addWidget(buttons)

    def code(self) -> str | None:
        return self.picker.selected_code()
