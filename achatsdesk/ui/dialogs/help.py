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
environnementales et les heures d'insertion prévues ; exportables pour le rapport du SPASER.</li>
<li><b>Programme</b> : ouvrez le programme d'achats de l'année (XLSX, ODS ou CSV, une ligne par
achat prévu) ; chaque ligne est analysée comme un dossier, puis « Créer les dossiers » reprend
les lignes choisies.</li>
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
<h2>Vos modèles Word (RC, CCAP, CCTP)</h2>
<p>achatsdesk remplit vos propres modèles : placez-y des <b>marqueurs</b>, puis
<b>Remplir mon modèle Word…</b> dans l'étape Relecture (ou
<code>achatsdesk-cli export piece DOSSIER --model MODELE.docx -o PIECE.docx</code>).
<b>Vérifier une pièce…</b> lit un CCAP ou un RC que vous avez déjà et dit, pour chaque
obligation du dossier, si la clause y est et à quel paragraphe
(<code>achatsdesk-cli dossier audit-docx DOSSIER PIECE.docx</code>).
Deux façons de marquer un emplacement :</p>
<ul>
<li>taper le marqueur dans le texte, par exemple <code>{{ achatsdesk.objet }}</code> ;</li>
<li>insérer un contrôle de contenu Word (onglet Développeur) dont la <i>balise</i> est
<code>achatsdesk.objet</code> : il garde sa balise et peut être rempli de nouveau.</li>
</ul>
<p>Un marqueur de <b>groupe de clauses</b> se place seul dans son paragraphe : les clauses y
deviennent des articles, dans le style des titres d'articles de votre modèle, numérotés à la
suite de l'article qui précède (les articles suivants sont renumérotés) ; le texte prend le
style du paragraphe du marqueur. Un marqueur inconnu est laissé tel quel et signalé, comme un
groupe dont les clauses n'ont pas d'emplacement. Exemples livrés :
<code>resources/templates/modele-ccap.docx</code> et <code>modele-rc.docx</code>.</p>
__MARKERS__
<h2>Raccourcis clavier</h2>
<table cellpadding="4">
<tr><td><b>Ctrl+N</b></td><td>Nouveau dossier</td></tr>
<tr><td><b>Ctrl+D</b></td><td>Dupliquer le dossier choisi (renouvellement, achat semblable)</td></tr>
<tr><td><b>Ctrl+F</b></td><td>Rechercher dans la section courante</td></tr>
<tr><td><b>Ctrl+Z</b> / <b>Ctrl+Y</b></td><td>Annuler / rétablir une modification du dossier</td></tr>
<tr><td><b>Ctrl+E</b></td><td>Exporter l'annexe Word du dossier ouvert</td></tr>
<tr><td><b>Ctrl+1</b> à <b>Ctrl+6</b></td><td>Dossiers, Catalogue ESS, Bibliothèque de clauses, Indicateurs, Programme, Suivi</td></tr>
<tr><td><b>F1</b></td><td>Cette aide</td></tr>
<tr><td><b>Ctrl+Q</b></td><td>Quitter (le dossier ouvert est déjà enregistré)</td></tr>
</table>
<h2>Vos données</h2>
<p>La base, les réglages, les journaux et les sauvegardes sont dans votre dossier
utilisateur. Avant chaque mise à jour de la base, une copie est faite dans le dossier
« backups ». Menu Aide › Ouvrir le dossier des journaux pour les transmettre au support.</p>
"""


def _markers_table() -> str:
    from achatsdesk.services.pieces import marker_names

    rows = "".join(f"<tr><td><code>achatsdesk.{name}</code></td><td>{label}</td></tr>"
                   for name, label in marker_names())
    return f"<table cellpadding='3'>{rows}</table>"


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Aide d'achatsdesk")
        self.resize(720, 600)
        self.text = QTextBrowser()
        self.text.setAccessibleName("Aide")
        self.text.setHtml(HELP_HTML.replace("__MARKERS__", _markers_table()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
