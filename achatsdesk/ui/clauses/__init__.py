"""Widgets of the clause area: the Bibliothèque de clauses page, variable form, wording
preview, clause view and suggestion cards (used by the library page and the dossier editor)."""
