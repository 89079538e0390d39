"""The Indicateurs section: the dossiers' social and environmental figures, and their workbook."""
