"""Made-up inputs for the document writers (no real supplier, no personal data)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from achatsdesk.documents.model import (
    AnnexInput,
    ChecklistItemRow,
    ChecklistStepRow,
    ProcedureInfo,
    RenderedClause,
    ReviewEvent,
    ReviewReportInput,
    ShortlistRow,
    SignOff,
)
from achatsdesk.domain.obligations import Obligation, ObligationStatus

HOSTILE_TITLE = "Nettoyage\x00 des\x07 collèges\x1b 🧹😀 « guillemets » \ufffe fin"

requires_office = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")


def clauses(count: int = 5) -> list[RenderedClause]:
    out = []
    for i in range(count):
        award = i % 3 == 2
        out.append(
            RenderedClause(
                id=f"exemple-{'critere' if award else 'condition'}-{i}",
                version=f"1.{i}",
                title=f"{'Critère' if award else 'Condition'} d'exemple numéro {i}",
                body=(
                    f"Texte de la clause numéro {i} : le titulaire réalise 1600 heures d'insertion pour 1200000 € HT.\n\n"
                    "Modalités possibles :\n- embauche directe ;\n- sous-traitance à une SIAE.\n"
                    f"Marqueur unique CLAUSE{i}FIN."
                ),
                family="insertion" if not award else "critere-social",
                kind="critère d'attribution" if award else "condition d'exécution",
                document="RC" if award else "CCAP",
                legal_basis=f"Code de la commande publique, art. L2112-{i}",
                weight_percent=10.0 if award else None,
            )
        )
    return out


def annex_input(count: int = 5, **changes) -> AnnexInput:
    values = dict(
        buyer_name="Collectivité d'exemple",
        dossier_title="Dossier d'exemple",
        reference="EX-2026-001",
        clauses=clauses(count),
        issued_on=date(2026, 11, 26),
    )
    values.update(changes)
    return AnnexInput(**values)


OBLIGATIONS = [
    Obligation("env-award-criterion", ObligationStatus.OBLIGATOIRE, "Critère environnemental d'exemple",
               "CCP L2152-7", date(2026, 8, 21), "Explication environnementale d'exemple."),
    Obligation("spaser", ObligationStatus.INFORMATION, "Schéma d'achat d'exemple", "CCP L2111-3", None,
               "Explication d'exemple sur le schéma.", to_confirm=True),
    Obligation("labels", ObligationStatus.RECOMMANDE, "Labels d'exemple", "CCP R2111-12", None, "Explication labels."),
]


def review_input(items: int = 6, **changes) -> ReviewReportInput:
    statuses = ("fait", "a_faire", "sans_objet")
    step = ChecklistStepRow(
        "Considérations sociales",
        tuple(
            ChecklistItemRow(
                f"Point de contrôle {i} <b>&amp;",
                status=statuses[i % 3],
                justification="Justification d'exemple" if i % 3 == 2 else "",
                comment="Commentaire d'exemple" if i % 4 == 0 else "",
                mandatory=i % 2 == 0,
            )
            for i in range(items)
        ),
    )
    values = dict(
        dossier_title="Dossier d'exemple",
        buyer_name="Collectivité d'exemple",
        reference="EX-2026-001",
        summary=[("Acheteur", "Collectivité d'exemple"), ("Montant estimé", "1200000 € HT")],
        procedure=ProcedureInfo("Procédure formalisée", "216000 € HT", "Explication de la procédure."),
        obligations=list(OBLIGATIONS),
        checklist=[step],
        clauses=clauses(3),
        shortlist=[ShortlistRow("Structure fictive d'exemple", "00000000000000", "ESAT", "1 rue d'exemple", "Cergy", 3.2,
                                ("Nettoyage",), "Fichier d'exemple", date(2025, 6, 1))],
        history=[ReviewEvent(datetime(2026, 11, 20, 14, 5), "Responsable d'exemple", "À reprendre", "À compléter")],
        sign_off=SignOff(),
        generated_on=date(2026, 11, 26),
    )
    values.update(changes)
    return ReviewReportInput(**values)


def pdf_text(pdf: Path) -> str:
    """The PDF's text through poppler (installed with LibreOffice on CI)."""
    result = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return result.stdout


def docx_to_pdf(docx: Path, out_dir: Path) -> Path:
    """LibreOffice headless conversion, with its own profile so parallel runs never collide."""
    profile = out_dir / "lo-profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), str(docx)],
        capture_output=True, check=True, timeout=180,
    )
    pdf = out_dir / (docx.stem + ".pdf")
    assert pdf.exists(), "LibreOffice did not write the PDF"
    return pdf
