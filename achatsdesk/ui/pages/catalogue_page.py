"""Catalogue ESS section (to be built by the catalogue work)."""

from __future__ import annotations

from achatsdesk.ui.pages.base import NotYetPage


class CataloguePage(NotYetPage):
    def __init__(self, context, parent=None) -> None:
        super().__init__(
            context,
            "Catalogue ESS",
            "La recherche de structures inclusives et de l'ESS n'est pas encore disponible dans cette version.",
            parent,
        )
