"""Bibliothèque de clauses section (to be built by the clause work)."""

from __future__ import annotations

from achatsdesk.ui.pages.base import NotYetPage


class ClausesPage(NotYetPage):
    def __init__(self, context, parent=None) -> None:
        super().__init__(
            context,
            "Bibliothèque de clauses",
            "La bibliothèque de clauses sociales et environnementales n'est pas encore disponible dans cette version.",
            parent,
        )
