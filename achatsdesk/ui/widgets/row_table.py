"""The tables of rows the sections show (dossiers, clauses, suppliers): a whole row is
selected at a time, one row at a time, the first column takes the spare width."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def row_table(model: QAbstractItemModel, accessible_name: str, parent: QWidget | None = None,
              *, stretch_column: int | None = 0) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(accessible_name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    if stretch_column is not None:
        table.horizontalHeader().setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return table
