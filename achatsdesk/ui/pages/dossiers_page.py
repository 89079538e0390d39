"""Dossiers section (to be built by the dossier work)."""

from __future__ import annotations

from achatsdesk.ui.pages.base import NotYetPage


class DossiersPage(NotYetPage):
    def __init__(self, context, parent=None) -> None:
        super().__init__(
            context,
            "Dossiers",
            "La gestion des dossiers de consultation (check-list, obligations, relecture) "
            "n'est pas encore disponible dans cette version.",
            parent,
        )
