"""F1: a short guide and the keyboard shortcuts, offline."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

HELP_HTML = """
<h2>Bien démarrer</h2>
<ol>
<li><b>Dossiers</b> : créez un dossier (ou ouvrez l'exemple fictif), décrivez le besoin
(objet, codes CPV, montant, lieu d'exécution, date de lancement). Le panneau
<i>Obligations</i> indique ce que le droit en vigueur à la date de lancement rend
obligatoire, recommandé ou à envisager, avec la référence juridique.</li>
<li><b>Considérations sociales et environnementales</b> : ajoutez les clauses suggérées,
ajustez leurs variables ; le dimensionnement des heures d'insertion montre sa formule.</li>
<li><b>Catalogue ESS</b> : cherchez les structures inclusives proches du lieu d'exécution
et ajoutez-les à une liste de fournisseurs.</li>
<li><b>Relecture</b> : exportez l'annexe Word et le rapport PDF, ou envoyez le dossier
en relecture (fichier .achatsdesk) à votre chef de service. L'étape indique aussi les
codes eForms à déclarer dans l'avis de marché.</li>
<li><b>Indicateurs</b> : vos dossiers par année de lancement, avec leurs clauses sociales et
environnementales et les heures d'insertion prévues ; exportables pour le rapport du SPASER.
En dessous, le <i>réalisé</i> : les marchés attribués (et ceux importés d'un fichier DECP), par année et
par service, avec le graphique des heures prévues et réalisées.</li>
<li><b>Exécution</b> (dernière étape du dossier, une fois validé) : enregistrez le titulaire de chaque
lot, puis les heures réalisées trimestre par trimestre ou le relevé du facilitateur (CSV ou XLSX).
Le solde et la pénalité prévue par la clause sont calculés et expliqués, jamais appliqués. La section
<b>Suivi</b> liste les marchés en cours et ceux sans relevé depuis quatre mois. Les déclarations
annuelles (DECP, AGEC, SPASER) se produisent en ligne de commande (<i>dossier returns</i>) et,
pour le SPASER, depuis Indicateurs.</li>
</ol>
<p>Pour un renouvellement ou un achat semblable, <b>Dupliquer</b> crée un nouveau dossier en
brouillon à partir d'un autre : indiquez sa date de lancement, le droit applicable en dépend.</p>
<p>Tout fonctionne sans connexion. Les valeurs marquées « à vérifier » n'ont pas été
lues dans un texte officiel : vérifiez-les avant de les utiliser.</p>
<h2>Raccourcis clavier</h2>
<table cellpadding="4">
<tr><td><b>Ctrl+N</b></td><td>Nouveau dossier</td></tr>
<tr><td><b>Ctrl+D</b></td><td>Dupliquer le dossier choisi (renouvellement, achat semblable)</td></tr>
<tr><td><b>Ctrl+F</b></td><td>Rechercher dans la section courante</td></tr>
<tr><td><b>Ctrl+Z</b> / <b>Ctrl+Y</b></td><td>Annuler / rétablir une modification du dossier</td></tr>
<tr><td><b>Ctrl+E</b></td><td>Exporter l'annexe Word du dossier ouvert</td></tr>
<tr><td><b>Ctrl+1</b> à <b>Ctrl+5</b></td><td>Dossiers, Catalogue ESS, Bibliothèque de clauses, Indicateurs, Suivi</td></tr>
<tr><td><b>F1</b></td><td>Cette aide</td></tr>
<tr><td><b>Ctrl+Q</b></td><td>Quitter (le dossier ouvert est déjà enregistré)</td></tr>
</table>
<h2>Vos données</h2>
<p>La base, les réglages, les journaux et les sauvegardes sont dans votre dossier
utilisateur. Avant chaque mise à jour de la base, une copie est faite dans le dossier
« backups ». Menu Aide › Ouvrir le dossier des journaux pour les transmettre au support.</p>
"""


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Aide d'achatsdesk")
        self.resize(720, 600)
        self.text = QTextBrowser()
        self.text.setAccessibleName("Aide")
        self.text.setHtml(HELP_HTML)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
