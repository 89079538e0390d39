"""Export use cases against a real migrated database and the shipped rules and clauses."""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import text

from achatsdesk.documents.model import AnnexPart
from achatsdesk.domain.dossier import ClauseSelection, Dossier, Lot
from achatsdesk.domain.obligations import STATUS_LABELS
from achatsdesk.errors import NotFoundError, OutputFileError, ValidationError
from achatsdesk.services import dossiers
from achatsdesk.services.catalogue_shortlists import add_to_shortlist, create_shortlist
from achatsdesk.services.dossier_rules import analyse
from achatsdesk.services.exports import (
    annex_input_for,
    export_annex,
    export_review,
    export_shortlist,
    parse_parts,
    review_input_for,
)
from tests.conftest import EXAMPLE_DOSSIER as EXAMPLE
from tests.documents.samples import HOSTILE_TITLE, docx_to_pdf, pdf_text, requires_office
from tests.dossier_edits import answer

TODAY = date(2026, 11, 26)


def _flat(value: str) -> str:
    """Whitespace-insensitive text; "sous-\ntraitance" broken at its hyphen by the layout joined again."""
    text = " ".join(value.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-").split())
    return re.sub(r"(\w)- (\w)", r"\1-\2", text)


def _example() -> Dossier:
    return Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8")))


def _fictive_suppliers(database) -> list[int]:
    """Two made-up structures (clearly fictive) near Cergy, with one sector."""
    with database.engine.begin() as conn:
        conn.execute(text("INSERT OR IGNORE INTO sector_group (id, name, slug) VALUES (9001, 'Groupe fictif', 'groupe-fictif')"))
        conn.execute(text("INSERT OR IGNORE INTO sector (id, name, slug, group_id) VALUES (9001, 'Nettoyage (fictif)', 'nettoyage-fictif', 9001)"))
        ids = []
        for n, (lat, lon) in enumerate(((49.05, 2.10), (49.10, 2.20))):
            ids.append(conn.execute(text(
                "INSERT INTO supplier (match_key, siret, siret_valid, name, kind, address, postcode, commune, insee, "
                "departement, latitude, longitude, geo_precision, source, source_date, origin) VALUES "
                "(:k, :s, 1, :n, 'ESAT', '1 rue d''exemple', '95000', 'Cergy', '95127', '95', :lat, :lon, 'address', "
                "'Données fictives de test', '2025-06', 'import') RETURNING id"),
                {"k": f"fictif-{n}", "s": f"0000000000000{n}", "n": f"Structure fictive {n} (exemple)", "lat": lat, "lon": lon},
            ).scalar_one())
            conn.execute(text("INSERT INTO supplier_sector (supplier_id, sector_id, origin) VALUES (:s, 9001, 'user')"), {"s": ids[-1]})
    return ids


@pytest.fixture
def stored_dossier(database) -> int:
    """The example stored with two chosen clauses, a shortlist and a review decision."""
    dossier = _example()
    dossier.reference = "EX-2026-042"
    dossier.clauses = [
        ClauseSelection("insertion-heures", "1.0", {}),
        ClauseSelection("critere-environnemental", "1.0", {"poids": 20}),
    ]
    shortlist = create_shortlist(database, "Liste fictive")
    for supplier_id in _fictive_suppliers(database):
        add_to_shortlist(database, shortlist, supplier_id)
    dossier.shortlist_id = shortlist
    dossier_id = dossiers.create_dossier(database, dossier)
    dossiers.record_review(database, dossier_id, "a_reprendre", "Responsable d'exemple", "Préciser les heures",
                           now=datetime(2026, 11, 20, 14, 5))
    return dossier_id


def test_json_dossier_gets_the_suggested_clauses_rendered(database):
    data = annex_input_for(EXAMPLE, database=database, today=TODAY)
    ids = {c.id for c in data.clauses}
    assessment = analyse(_example()).assessment
    assert len(data.clauses) >= len(assessment.mandatory())
    assert "insertion-heures" in ids
    insertion = next(c for c in data.clauses if c.id == "insertion-heures")
    assert "{{" not in insertion.body and re.search(r"\d[\d\u202f]*[ \u00a0]heures", insertion.body)
    criteria = [c for c in data.clauses if c.part == AnnexPart.RC and c.is_award_criterion]
    assert criteria and all(c.weight_percent for c in criteria)


def test_json_dossier_annex_keeps_one_clause_of_each_group_of_alternatives(database):
    """Review: three reservations (EA/ESAT, SIAE, both) side by side read like a template."""
    from achatsdesk.services.clause_library import load_library

    library = load_library(database)
    data = annex_input_for(EXAMPLE, database=database, today=TODAY)
    kinds = [library.get(c.id).kind for c in data.clauses]
    assert kinds.count("reservation") <= 1  # and none unless advised: see test_a_reservation_is_no_default
    env_criteria = [c for c in data.clauses if c.is_award_criterion and "env-award-criterion" in library.get(c.id).obligations]
    assert len(env_criteria) == 1
    ids = [c.id for c in data.clauses]
    assert "insertion-heures" in ids and "clause-sociale-generale-services" not in ids
    # every mandatory obligation is still answered by a kept clause
    covered = {o for c in data.clauses for o in library.get(c.id).obligations}
    assert {o.id for o in analyse(_example()).assessment.mandatory()} <= covered
    # each clause keeps its real target document
    assert {c.id: c.document for c in data.clauses}["gpp-niveau-ue"] == "CCTP"
    # the insertion clause's companions follow it instead of trailing at the end
    social = [i for i, c in enumerate(data.clauses) if library.get(c.id).family == "condition-sociale"]
    assert social == list(range(social[0], social[0] + len(social)))


@requires_office
def test_example_annex_renders_in_libreoffice_with_every_clause(database, tmp_path: Path):
    from achatsdesk.documents.docx_annex import body_paragraphs

    out = export_annex(EXAMPLE, tmp_path / "annexe.docx", database=database, today=TODAY)
    Document(str(out))  # python-docx opens it again
    rendered = annex_input_for(EXAMPLE, database=database, today=TODAY).clauses
    raw = pdf_text(docx_to_pdf(out, tmp_path))
    match = re.search(r"Page 1 sur (\d+)", raw)
    assert match and f"Page {match.group(1)} sur {match.group(1)}" in raw
    # Drop the running header and footer, which land inside paragraphs split across pages.
    lines = [line for line in raw.splitlines()
             if not re.fullmatch(r"\s*Page \d+ sur \d+( – jeu de clauses [0-9A-F-]+)?\s*", line) and "Département du Val-d'Oise" not in line]
    content = _flat("\n".join(lines))
    assert "Article 1 –" in content
    for clause in rendered:
        assert _flat(clause.title) in content, clause.id
        for paragraph in body_paragraphs(clause):
            assert _flat(paragraph.lstrip("-–•* ")) in content, (clause.id, paragraph)


def test_stored_dossier_annex_has_only_the_chosen_clauses(database, stored_dossier, tmp_path: Path):
    out = export_annex(stored_dossier, tmp_path / "annexe.docx", database=database, parts="ccap,rc", today=TODAY)
    document = Document(str(out))
    articles = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert len(articles) == 2 and all(a.startswith("Article 1 – ") for a in articles)
    assert any("20\u00a0%" in p.text for p in document.paragraphs if p.text.startswith("Pondération"))
    header = document.sections[0].header.paragraphs[0].text
    assert "EX-2026-042" in header and "Val-d'Oise" in header


@requires_office  # pdftotext comes with LibreOffice on CI
def test_review_report_of_a_stored_dossier(database, stored_dossier, tmp_path: Path):
    out = export_review(stored_dossier, tmp_path / "rapport.pdf", database=database, today=TODAY)
    content = _flat(pdf_text(out))
    for obligation in analyse(dossiers.get_dossier(database, stored_dossier).dossier).assessment.obligations:
        assert _flat(obligation.title)[:40] in content
        assert STATUS_LABELS[obligation.status] in content
    assert "Cergy (95127)" in content and "Procédure formalisée" in content
    assert "Visa du responsable" in content and "Responsable d'exemple" in content
    assert "☑ À reprendre" in content and "☐ Validé" in content  # the recorded decision
    assert "Structure fictive 0 (exemple)" in content and "Préciser les heures" in content
    # what the notice must declare because of the two chosen clauses
    assert "À déclarer dans l'avis de marché (codes eForms)" in content
    assert "opp : Emploi des personnes défavorisées" in content and "soc-obj : Objectif social" in content


def test_review_input_maps_checklist_history_and_sign_off(database, stored_dossier):
    answer(database, stored_dossier, "env-condition", "fait")
    data = review_input_for(stored_dossier, database=database, today=TODAY)
    items = {i.title: i for step in data.checklist for i in step.items}
    assert any(i.status == "fait" for i in items.values())
    assert any(i.mandatory for i in items.values())
    assert [e.decision for e in data.history] == ["À reprendre"]
    assert data.sign_off.name == "Responsable d'exemple" and data.sign_off.decision == "a_reprendre"
    assert [r.name for r in data.shortlist] == ["Structure fictive 0 (exemple)", "Structure fictive 1 (exemple)"]


def test_shortlist_spreadsheet_with_distances_and_sectors(database, stored_dossier, tmp_path: Path):
    out = export_shortlist(stored_dossier, tmp_path / "fournisseurs.xlsx", database=database)
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["Structure fictive 0 (exemple)", "Structure fictive 1 (exemple)"]
    assert all(r[5] is not None and 0 < r[5] < 30 for r in rows)  # km from Cergy
    assert rows[0][6] == "Nettoyage (fictif)" and rows[0][1] == "00000000000000"


def test_shortlist_needs_one(database, tmp_path: Path):
    dossier_id = dossiers.create_dossier(database, _example())
    with pytest.raises(NotFoundError) as caught:
        export_shortlist(dossier_id, tmp_path / "x.xlsx", database=database)
    assert "Catalogue ESS" in caught.value.user_message
    assert not (tmp_path / "x.xlsx").exists()


def test_unknown_clause_is_named(database, tmp_path: Path):
    dossier = _example()
    dossier.clauses = [ClauseSelection("clause-disparue", "1.0", {})]
    dossier_id = dossiers.create_dossier(database, dossier)
    with pytest.raises(NotFoundError, match="clause-disparue"):
        export_annex(dossier_id, tmp_path / "a.docx", database=database)


def test_hostile_title_exports_every_document(database, tmp_path: Path):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["title"] = HOSTILE_TITLE
    data["buyer"]["name"] = "Acheteur\x0c « fictif » 🏛"
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    annex = export_annex(source, tmp_path / "a.docx", database=database)
    assert "«\u00a0guillemets\u00a0»" in "\n".join(p.text for p in Document(str(annex)).paragraphs)
    assert export_review(source, tmp_path / "r.pdf", database=database).stat().st_size > 1000


def test_locked_destination_keeps_the_earlier_annex(database, tmp_path: Path, monkeypatch):
    folder = tmp_path / "sortie"
    folder.mkdir()
    target = folder / "annexe.docx"
    target.write_bytes(b"earlier")

    def locked(src, dst):
        raise PermissionError(13, "file in use", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputFileError) as caught:
        export_annex(EXAMPLE, target, database=database)
    assert "Fermez-le" in caught.value.user_message
    assert target.read_bytes() == b"earlier"
    assert [p.name for p in folder.iterdir()] == ["annexe.docx"]  # no temporary file left behind


def test_parse_parts():
    assert parse_parts("rc") == (AnnexPart.RC,)
    assert parse_parts(" CCAP , rc ,ccap") == (AnnexPart.CCAP, AnnexPart.RC)
    with pytest.raises(ValidationError, match="cctp"):
        parse_parts("cctp")


def test_a_clause_chosen_for_one_lot_says_so(database, tmp_path: Path):
    dossier = _example()
    dossier.lots = [Lot("Collèges de l'est", "90911200-8", 700_000), Lot("Collèges de l'ouest", "90911200-8", 500_000)]
    dossier.clauses = [ClauseSelection("insertion-heures", "1.0", {}, lot=1), ClauseSelection("condition-environnementale", "1.0", {})]
    dossier_id = dossiers.create_dossier(database, dossier)
    document = Document(str(export_annex(dossier_id, tmp_path / "a.docx", database=database)))
    texts = [p.text for p in document.paragraphs]
    assert "Applicable au lot 2\u00a0: Collèges de l'ouest." in texts
    assert sum(t.startswith("Applicable au") for t in texts) == 1


def test_the_annex_lists_the_notice_tags_of_the_chosen_clauses(database, stored_dossier, tmp_path: Path):
    out = export_annex(stored_dossier, tmp_path / "annexe.docx", database=database, today=TODAY)
    document = Document(str(out))
    headings = [_flat(p.text) for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[-1] == "Avis de marché : achats stratégiques (eForms)"  # French spacing: no-break spaces
    rows = [[_flat(cell.text) for cell in row.cells] for row in document.tables[-1].rows[1:]]
    # insertion-heures (social: employment of disadvantaged people), critere-environnemental (other impact)
    assert [row[1] for row in rows] == ["env-imp", "soc-obj", "other", "opp"]
    assert [row[0] for row in rows] == ["Achat stratégique (BT-06)", "", "Marché écologique : incidence "
                                        "environnementale (BT-774)", "Marché social : objectif social (BT-775)"]
    assert rows[3][2].startswith("Emploi des personnes défavorisées")


def test_a_reservation_is_no_default(database):
    """Issue 14: the default selection counted a reserved contract for nearly every dossier.
    Reserving is the buyer's decision: by default only when the rules recommend it or the
    local supply's advice (the lever) asks for it."""
    from achatsdesk.domain.suggestions import default_selection
    from achatsdesk.services.clause_suggestions import suggest_for_dossier

    report = suggest_for_dossier(_example(), database=database).report
    reservations = [s for s in report.suggestions if s.clause.kind == "reservation"]
    assert reservations  # suggested, for the buyer to choose
    kept = [s for s in default_selection(report) if s.clause.kind == "reservation"]
    for suggestion in kept:
        assert any(r.startswith(("obligatoire", "recommandé", "offre locale")) for r in suggestion.reasons)
    if not any(r.startswith(("obligatoire", "recommandé", "offre locale")) for s in reservations for r in s.reasons):
        assert kept == []
