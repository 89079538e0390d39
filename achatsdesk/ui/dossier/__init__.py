"""The dossier editor and what other areas add to it."""
