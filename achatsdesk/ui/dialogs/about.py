"""À propos: version, data sources and their licences (from resources/data/ATTRIBUTION.md)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from achatsdesk import __version__
from achatsdesk.paths import resources_dir


def attribution_markdown() -> str:
    path = resources_dir() / "data" / "ATTRIBUTION.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return "La liste des sources de données est introuvable : réinstallez achatsdesk."


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("À propos d'achatsdesk")
        self.resize(860, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                f"<h2>achatsdesk {__version__}</h2>"
                "<p>Le poste de travail des acheteurs publics pour les clauses sociales et "
                "environnementales. Fonctionne sans connexion.</p>"
                "<p><b>Sources des données embarquées et licences :</b></p>"
            )
        )
        self.sources = QTextBrowser()
        self.sources.setAccessibleName("Sources des données")
        self.sources.setOpenExternalLinks(False)
        self.sources.setMarkdown(attribution_markdown())
        layout.addWidget(self.sources, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
