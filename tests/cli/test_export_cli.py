"""achatsdesk-cli export annex / review / shortlist."""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document

from achatsdesk.cli import main
from achatsdesk.domain.dossier import Dossier
from achatsdesk.services import dossiers
from tests.conftest import EXAMPLE_DOSSIER as EXAMPLE


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_annex_from_json_with_parts_and_json_output(capsys, database, tmp_path: Path):
    out = tmp_path / "annexe.docx"
    code, stdout, _ = run(capsys, "export", "annex", EXAMPLE, "-o", out, "--parts", "rc", "--json")
    assert code == 0 and json.loads(stdout)["output"] == str(out.absolute())
    headings = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Heading 1"]
    assert any("critères d'attribution" in h for h in headings) and not any("CCAP" in h for h in headings)


def test_review_of_a_stored_dossier(capsys, database, tmp_path: Path):
    dossier_id = dossiers.create_dossier(database, Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8"))))
    out = tmp_path / "rapport.pdf"
    code, stdout, _ = run(capsys, "export", "review", dossier_id, "-o", out)
    assert code == 0 and "Rapport de relecture enregistré" in stdout
    assert out.read_bytes().startswith(b"%PDF")


def test_french_errors(capsys, database, tmp_path: Path):
    code, _, err = run(capsys, "export", "annex", EXAMPLE, "-o", tmp_path / "a.docx", "--parts", "cctp")
    assert code == 1 and "Partie « cctp » inconnue" in err
    code, _, err = run(capsys, "export", "annex", EXAMPLE, "-o", tmp_path / "a.pdf")
    assert code == 1 and "« .docx »" in err
    code, _, err = run(capsys, "export", "review", tmp_path / "absent.json", "-o", tmp_path / "r.pdf")
    assert code == 1 and "ni un numéro de dossier ni un fichier" in err
    code, _, err = run(capsys, "export", "shortlist", EXAMPLE, "-o", tmp_path / "f.xlsx")
    assert code == 1 and "numéro du dossier" in err
    code, _, err = run(capsys, "export", "shortlist", "999", "-o", tmp_path / "f.xlsx")
    assert code == 1 and "n'existe pas" in err
    code, _, err = run(capsys, "export", "annex", EXAMPLE, "-o", tmp_path / "absent" / "a.docx")
    assert code == 1 and "n'existe pas" in err
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".docx", ".pdf", ".xlsx")) == []


def test_annex_of_a_stored_dossier_without_clauses_warns_and_says_it_once(capsys, database, tmp_path: Path):
    dossier_id = dossiers.create_dossier(database, Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8"))))
    out = tmp_path / "annexe.docx"
    code, stdout, err = run(capsys, "export", "annex", dossier_id, "-o", out)
    assert code == 0 and "Annexe Word enregistrée" in stdout
    assert err.startswith("Attention : Aucune clause n'est retenue pour ce dossier") and "Ajoutez des clauses" in err
    body = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert body.count("Aucune clause") == 1
    code, stdout, _ = run(capsys, "export", "annex", dossier_id, "-o", out, "--json")
    assert json.loads(stdout)["warnings"][0].startswith("Aucune clause n'est retenue")


def test_annex_with_an_empty_part_warns_about_that_part(capsys, database, tmp_path: Path):
    from achatsdesk.domain.dossier import ClauseSelection

    dossier = Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    dossier.clauses = [ClauseSelection("condition-environnementale")]
    dossier_id = dossiers.create_dossier(database, dossier)
    code, _, err = run(capsys, "export", "annex", dossier_id, "-o", tmp_path / "a.docx")
    assert code == 0 and "Attention : La partie « Extrait du règlement de la consultation" in err
    assert "Annexe au CCAP" not in err
