"""Build the sample Word models shipped in resources/templates (rerunnable by anyone).

A CCAP model and an RC model of a made-up organisation, holding both kinds of
achatsdesk markers: placeholders typed in the text ({{ achatsdesk.objet }}) and
Word content controls tagged "achatsdesk.…". See the F1 guide, "Vos modèles Word".
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

TARGET = Path(__file__).resolve().parents[1] / "resources" / "templates"
ORGANISATION = "Organisation d'exemple (modèle livré avec achatsdesk)"


def _control(tag: str, alias: str, text: str, *, block: bool):
    """A rich-text content control tagged for achatsdesk, showing its placeholder text."""
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    for name, value in (("w:alias", alias), ("w:tag", tag)):
        element = OxmlElement(name)
        element.set(qn("w:val"), value)
        pr.append(element)
    pr.append(OxmlElement("w:showingPlcHdr"))
    sdt.append(pr)
    content = OxmlElement("w:sdtContent")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    if block:
        p = OxmlElement("w:p")
        p.append(run)
        content.append(p)
    else:
        content.append(run)
    sdt.append(content)
    return sdt


def _base(title: str) -> Document:
    document = Document()
    document.styles["Normal"].font.size = Pt(10.5)
    document.sections[0].header.paragraphs[0].text = ORGANISATION
    document.core_properties.author = "achatsdesk"
    document.add_paragraph(title, "Title")
    facts = document.add_paragraph("Objet du marché : {{ achatsdesk.objet }}")
    facts.add_run("\nRéférence : {{ achatsdesk.reference }}")
    buyer = document.add_paragraph("Acheteur : ")
    buyer._p.append(_control("achatsdesk.acheteur", "Acheteur", "Nom de l'acheteur", block=False))
    document.add_paragraph("Montant estimé : {{ achatsdesk.montant }} ; durée : {{ achatsdesk.duree }}.")
    document.add_paragraph("Lots : {{ achatsdesk.lots }}. Lieu d'exécution : {{ achatsdesk.lieu }}.")
    return document


def build_ccap() -> Path:
    document = _base("Cahier des clauses administratives particulières")
    document.add_heading("Article 1 – Objet du marché", 1)
    document.add_paragraph("Le présent marché a pour objet : {{ achatsdesk.objet }}.")
    document.add_heading("Article 2 – Durée", 1)
    document.add_paragraph("Le marché est conclu pour {{ achatsdesk.duree }} à compter de sa notification.")
    document.add_heading("Article 3 – Prix et règlement", 1)
    document.add_paragraph("Les prix sont fermes et révisables dans les conditions du présent article. "
                           "Le délai global de paiement est de trente jours.")
    document.add_paragraph("{{ achatsdesk.clauses_ccap_social }}")
    document.element.body.find(qn("w:sectPr")).addprevious(_control(
        "achatsdesk.clauses_ccap_environnement", "Clauses environnementales (achatsdesk)",
        "Les conditions d'exécution environnementales sont insérées ici par achatsdesk.", block=True))
    document.add_paragraph("{{ achatsdesk.clauses_ccap }}")
    document.add_heading("Article 4 – Pénalités", 1)
    document.add_paragraph("En cas de retard, le titulaire encourt les pénalités prévues au présent article.")
    document.add_heading("Article 5 – Règlement des différends", 1)
    document.add_paragraph("Le tribunal administratif compétent est celui du lieu d'exécution.")
    _clean(document)
    path = TARGET / "modele-ccap.docx"
    document.save(str(path))
    return path


def build_rc() -> Path:
    document = _base("Règlement de la consultation")
    document.add_heading("Article 1 – Objet de la consultation", 1)
    document.add_paragraph("La consultation porte sur : {{ achatsdesk.objet }}.")
    document.add_heading("Article 2 – Décomposition et mentions", 1)
    document.add_paragraph("{{ achatsdesk.clauses_rc }}")
    document.add_heading("Article 3 – Jugement des offres", 1)
    document.add_paragraph("Le prix compte pour 40 % et la valeur technique pour 40 % de la note ; "
                           "les critères ci-dessous complètent la valeur technique.")
    document.add_paragraph("{{ achatsdesk.criteres_rc }}")
    document.add_heading("Article 4 – Remise des offres", 1)
    document.add_paragraph("Les offres sont remises sur le profil d'acheteur.")
    _clean(document)
    path = TARGET / "modele-rc.docx"
    document.save(str(path))
    return path


def _clean(document: Document) -> None:
    from achatsdesk.documents.docx_package import clean_package

    clean_package(document)  # python-docx's own model carries a custom XML part


if __name__ == "__main__":
    TARGET.mkdir(parents=True, exist_ok=True)
    for built in (build_ccap(), build_rc()):
        print(built)
