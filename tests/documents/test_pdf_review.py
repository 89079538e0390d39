from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from achatsdesk.documents.model import SignOff
from achatsdesk.documents.pdf_review import write_review
from achatsdesk.domain.obligations import STATUS_LABELS
from tests.documents.samples import (
    HOSTILE_TITLE,
    OBLIGATIONS,
    pdf_text,
    requires_office,
    review_input,
)


def _flat(pdf: Path) -> str:
    return " ".join(pdf_text(pdf).split())


def test_pdf_is_written_with_embedded_dejavu(tmp_path: Path):
    out = write_review(review_input(), tmp_path / "rapport.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"DejaVuSans" in data


@requires_office  # poppler's pdftotext comes with LibreOffice on CI
def test_obligations_statuses_checklist_and_sign_off_are_in_the_text(tmp_path: Path):
    data = review_input(items=9)
    text = _flat(write_review(data, tmp_path / "rapport.pdf"))
    for obligation in OBLIGATIONS:
        assert obligation.title in text
        assert STATUS_LABELS[obligation.status] in text
    assert "à vérifier" in text  # the obligation marked to_confirm
    assert "Point de contrôle 4 <b>&amp;" in text  # user markup shown as typed, never interpreted
    assert "☑ Fait" in text and "☐ À faire" in text and "☒ Sans objet" in text
    assert "Justification d'exemple" in text and "Commentaire du relecteur" in text
    assert "Visa du responsable" in text and "Nom du responsable" in text
    assert "☐ Validé" in text and "☐ À reprendre" in text
    assert "Structure fictive d'exemple" in text and "Responsable d'exemple" in text
    match = re.search(r"Page 1 sur (\d+)", text)
    assert match and f"Page {match.group(1)} sur {match.group(1)}" in text


@requires_office
def test_a_recorded_decision_is_ticked(tmp_path: Path):
    sign = SignOff(name="Responsable d'exemple", when=date(2026, 12, 2), decision="valide", comment="Bon pour publication")
    text = _flat(write_review(review_input(sign_off=sign), tmp_path / "rapport.pdf"))
    assert "☑ Validé" in text and "☐ À reprendre" in text
    assert "02/12/2026" in text and "Bon pour publication" in text


def test_hostile_text_exports(tmp_path: Path):
    data = review_input(dossier_title=HOSTILE_TITLE, buyer_name="<script>&", reference="R\x00F « 1 »")
    out = write_review(data, tmp_path / "rapport.pdf")
    assert out.stat().st_size > 1000
