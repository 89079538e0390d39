"""achatsdesk-cli dossier audit-docx: the mandatory clauses found in an annex achatsdesk wrote
(by marker and by text alone), absent in a piece stripped of them, the paragraph named."""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from achatsdesk.cli import main
from achatsdesk.domain.dossier import Dossier
from achatsdesk.services.dossier_rules import analyse
from achatsdesk.services.exports import export_annex

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nettoyage-colleges.json"


def _audit(capsys, piece: Path) -> dict[str, dict]:
    code = main(["dossier", "audit-docx", str(EXAMPLE), str(piece), "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    rows = json.loads(out)["obligations"]
    assert all(set(r) >= {"id", "status", "found", "paragraph"} for r in rows)
    return {r["id"]: r for r in rows}


def _mandatory() -> list[str]:
    dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    return [o.id for o in analyse(dossier).assessment.mandatory()]


def _strip_bookmarks(source: Path, target: Path) -> Path:
    """The text alone, as after a copy and paste into another document."""
    document = Document(str(source))
    for tag in ("w:bookmarkStart", "w:bookmarkEnd"):
        for mark in list(document.element.body.iter(qn(tag))):
            mark.getparent().remove(mark)
    document.save(str(target))
    return target


def test_every_obligation_is_listed_and_the_mandatory_ones_are_found_in_the_annex(capsys, tmp_path: Path):
    annex = export_annex(EXAMPLE, tmp_path / "annexe.docx")
    rows = _audit(capsys, annex)
    dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    assert list(rows) == [o.id for o in analyse(dossier).assessment.obligations]
    for obligation_id in _mandatory():
        row = rows[obligation_id]
        assert row["found"], obligation_id
        assert row["paragraph"].startswith("Article "), row  # the article's heading, by its marker
    assert rows["procedure"]["found"] is False and rows["procedure"]["paragraph"] is None


def test_the_clauses_are_recognised_by_their_text_alone(capsys, tmp_path: Path):
    pasted = _strip_bookmarks(export_annex(EXAMPLE, tmp_path / "annexe.docx"), tmp_path / "colle.docx")
    rows = _audit(capsys, pasted)
    for obligation_id in _mandatory():
        assert rows[obligation_id]["found"], obligation_id
        assert not rows[obligation_id]["paragraph"].startswith("Article ")  # a paragraph of the clause's text


def test_a_piece_stripped_of_the_clauses_reports_them_absent(capsys, tmp_path: Path):
    annex = _strip_bookmarks(export_annex(EXAMPLE, tmp_path / "annexe.docx"), tmp_path / "colle.docx")
    document = Document(str(annex))
    removing = False
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("TOC"):
            continue
        if paragraph.text.startswith("Traçabilité"):
            break
        removing = removing or paragraph.text.startswith("Article")
        if removing:  # every article and its text goes
            paragraph._p.getparent().remove(paragraph._p)
    stripped = tmp_path / "sans-clauses.docx"
    document.save(str(stripped))
    rows = _audit(capsys, stripped)
    for obligation_id in _mandatory():
        assert rows[obligation_id] == {**rows[obligation_id], "found": False, "paragraph": None}, obligation_id


def test_an_award_criterion_counts_only_in_the_criteria_article(capsys, tmp_path: Path):
    annex = Document(str(_strip_bookmarks(export_annex(EXAMPLE, tmp_path / "annexe.docx"), tmp_path / "c.docx")))
    criterion = [p.text for p in annex.paragraphs if "impact environnemental des prestations" in p.text]
    assert criterion
    piece = Document()
    piece.add_heading("Article 1 – Objet", 1)
    piece.add_heading("Article 7 – Pénalités", 1)
    for text in criterion + [p.text for p in annex.paragraphs if "Chaque engagement est noté" in p.text]:
        piece.add_paragraph(text)
    elsewhere = tmp_path / "ailleurs.docx"
    piece.save(str(elsewhere))
    assert _audit(capsys, elsewhere)["env-award-criterion"]["found"] is False
    piece.add_heading("Article 8 – Jugement des offres", 1)
    for text in criterion + [p.text for p in annex.paragraphs if "Chaque engagement est noté" in p.text]:
        piece.add_paragraph(text)
    piece.save(str(elsewhere))
    row = _audit(capsys, elsewhere)["env-award-criterion"]
    assert row["found"] is True and "impact environnemental" in row["paragraph"] + "".join(criterion)


def test_the_french_report_names_the_paragraph(capsys, tmp_path: Path):
    annex = export_annex(EXAMPLE, tmp_path / "annexe.docx")
    assert main(["dossier", "audit-docx", str(EXAMPLE), str(annex)]) == 0
    out, _ = capsys.readouterr()
    assert "trouvée §" in out and "[Obligatoire]" in out
    assert main(["dossier", "audit-docx", str(EXAMPLE), str(tmp_path / "absente.docx")]) != 0
    _, err = capsys.readouterr()
    assert "introuvable" in err
