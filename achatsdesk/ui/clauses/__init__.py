"""Widgets of the clause area: variable form, wording preview, clause view, suggestion
cards, insertion sizing and lever panels (used by the library page and the dossier editor)."""
