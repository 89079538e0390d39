"""`programme check` on the fictitious example programme: every line judged by the same engine as one
dossier (`dossier check`, `levers`, `clauses suggest`), bad lines named with their reason."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from achatsdesk.cli import main
from achatsdesk.paths import resources_dir

EXAMPLE = resources_dir().parent / "examples" / "programme-2027.csv"
BAD_LINES = {40: "Montant « abc »", 41: "Code CPV « 99999999-9 » inconnu", 42: "Date de lancement absente"}


def run(capsys, *argv: str) -> dict:
    code = main([*argv, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def judged(capsys, database) -> dict:
    return run(capsys, "programme", "check", str(EXAMPLE), "--year", "2027")


def test_bad_lines_are_named_with_their_reason_and_the_rest_goes_on(judged) -> None:
    lines = {line["line"]: line for line in judged["lines"]}
    assert len(lines) == 40 and min(lines) == 3  # a title line and the headings above the first purchase
    errors = {n: line["error"] for n, line in lines.items() if line["error"]}
    assert set(errors) == set(BAD_LINES)
    for number, reason in BAD_LINES.items():
        assert reason in errors[number]
        assert lines[number]["procedure"] is None and lines[number]["obligations"] == []
    assert judged["totals"]["lines"] == 40 and judged["totals"]["judged"] == 37 and judged["totals"]["errors"] == 3


def test_every_line_is_what_dossier_check_levers_and_suggest_give(capsys, judged, tmp_path) -> None:
    good = [line for line in judged["lines"] if not line["error"]]
    assert len(good) == 37
    levers_seen = set()
    for line in good:
        path = tmp_path / f"line-{line['line']}.json"
        path.write_text(json.dumps(line["dossier"], ensure_ascii=False), encoding="utf-8")
        check = run(capsys, "dossier", "check", str(path))
        assert line["procedure"] == check["procedure"], line["title"]
        assert [(o["id"], o["status"]) for o in line["obligations"]] == [
            (o["id"], o["status"]) for o in check["obligations"]], line["title"]
        assert line["mandatory_count"] == sum(1 for o in check["obligations"] if o["status"] == "obligatoire")
        lever = run(capsys, "levers", str(path))
        assert line["lever"] == lever["lever"], line["title"]
        assert line["lever_detail"]["supplier_count"] == lever["supplier_count"]
        suggest = run(capsys, "clauses", "suggest", str(path), "--no-lever")
        assert line["hours"] == suggest["insertion"]["total_hours"], line["title"]
        levers_seen.add(line["lever"])
    assert len(levers_seen) >= 3  # the example exercises several levers, not one answer for all


def test_two_lines_of_one_cpv_family_crossing_the_eu_threshold_are_flagged(judged) -> None:
    lines = {line["line"]: line for line in judged["lines"]}
    office, toner = lines[14], lines[15]  # 130 000 € + 95 000 € of CPV group 301, each below 216 000 €
    for line, other in ((office, 15), (toner, 14)):
        flag = next(f for f in line["flags"] if f["id"] == "besoin-homogene")
        assert flag["lines"] == [other] and flag["to_confirm"] is True
        assert "225\u202f000" in flag["explanation"] and "216\u202f000" in flag["explanation"]
        assert line["procedure"]["id"] == "mapa"
    # Cleaning (909): one line is formal on its own, so adding the second crosses nothing new.
    assert not any(f["id"] == "besoin-homogene" for f in lines[3]["flags"] + lines[4]["flags"])
    assert judged["totals"]["homogeneous_flagged"] == 2
    assert any(f["id"] == "egalim" for f in lines[11]["flags"])
    assert any(f["id"] == "agec" for f in lines[16]["flags"])  # office furniture


def test_below_the_threshold_together_nothing_is_flagged(capsys, database, tmp_path) -> None:
    path = tmp_path / "programme.csv"
    path.write_text("Objet;CPV;Montant;Lancement;Lieu\n"
                    "Papier;30192000-1;100 000;T1 2027;Cergy\n"
                    "Toner;30125100-2;100 000;T2 2027;Cergy\n", encoding="utf-8")
    document = run(capsys, "programme", "check", str(path))
    assert [f["id"] for line in document["lines"] for f in line["flags"] if f["id"] == "besoin-homogene"] == []
    path.write_text(path.read_text(encoding="utf-8").replace("100 000;T2", "120 000;T2"), encoding="utf-8")
    document = run(capsys, "programme", "check", str(path))
    assert all(any(f["id"] == "besoin-homogene" for f in line["flags"]) for line in document["lines"])


def test_the_summary_totals_are_the_sums_of_the_lines(capsys, database, tmp_path) -> None:
    target = tmp_path / "resultat.xlsx"
    document = run(capsys, "programme", "check", str(EXAMPLE), "--year", "2027", "-o", str(target))
    workbook = load_workbook(target)
    summary = workbook["Synthèse"]
    figures = {row[0].value: row[1].value for row in summary.iter_rows(min_row=2) if row[0].value}
    amount = hours = lines = 0
    for sheet in workbook.worksheets[1:]:
        assert [c.value for c in sheet[1]][:2] == ["Ligne", "Objet"]
        for row in sheet.iter_rows(min_row=2, values_only=True):
            lines += 1
            amount += row[4] or 0
            hours += row[13] or 0
    assert lines == 40
    assert figures["Montant estimé des lignes analysées (€ HT)"] == amount == document["totals"]["amount_eur"]
    assert figures["Heures d'insertion potentielles"] == hours == document["totals"]["potential_hours"]
    assert figures["Lignes illisibles (motif dans la feuille du service)"] == 3
    assert hours == sum(line["hours"] or 0 for line in document["lines"])
    for sheet in workbook.worksheets:
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.page_setup.orientation == "landscape"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_the_result_opens_in_libreoffice_one_page_wide(capsys, database, tmp_path) -> None:
    target = tmp_path / "resultat.xlsx"
    run(capsys, "programme", "check", str(EXAMPLE), "--year", "2027", "-o", str(target))
    sheets = len(load_workbook(target).worksheets)
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(target)],
        capture_output=True, text=True, timeout=180,
    )
    pdf = tmp_path / "resultat.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert len(sizes) >= sheets and all(float(w) > float(h) for w, h in sizes)  # landscape
    # One page wide: every page of a service sheet shows its first and its last column (the header
    # row repeats on each page); a sheet cut across its width would leave pages without one of them.
    for page in range(1, len(sizes) + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        summary_page = "Part du montant" in text or "Source : programme-2027.csv" in text
        assert ("Objet" in text and "motif" in text) or summary_page, f"page {page}: {text[:200]}"


def test_create_dossiers_twice_creates_nothing_new(capsys, database) -> None:
    first = run(capsys, "programme", "create-dossiers", str(EXAMPLE), "--year", "2027", "--lines", "3,14-15,40")
    assert [d["line"] for d in first["created"]] == [3, 14, 15] and first["existing"] == []
    assert [r["line"] for r in first["refused"]] == [40]
    second = run(capsys, "programme", "create-dossiers", str(EXAMPLE), "--year", "2027", "--lines", "3,14-15")
    assert second["created"] == [] and sorted(d["id"] for d in second["existing"]) == sorted(
        d["id"] for d in first["created"])
    listed = run(capsys, "dossier", "list")["dossiers"]
    assert len(listed) == 3 and {d["status"] for d in listed} == {"brouillon"}
    shown = run(capsys, "dossier", "show", str(first["created"][0]["id"]))
    assert shown["dossier"]["estimated_amount_eur"] == 1200000 and shown["dossier"]["cpv"] == ["90911200-8"]
    assert len(shown["dossier"]["lots"]) == 2 and shown["dossier"]["reference"] == "1"


def test_a_wrong_line_list_is_refused_in_french(capsys, database) -> None:
    code = main(["programme", "create-dossiers", str(EXAMPLE), "--lines", "9-7"])
    assert code == 1 and "Plage de lignes" in capsys.readouterr().err
    code = main(["programme", "create-dossiers", str(EXAMPLE), "--year", "2027", "--lines", "999"])
    assert code == 1 and "La ligne 999 n'existe pas" in capsys.readouterr().err


def test_a_file_without_usual_headings_says_which_columns_are_missing(capsys, database, tmp_path: Path) -> None:
    path = tmp_path / "autre.csv"
    path.write_text("Quoi;Combien\nPapier;100\n", encoding="utf-8")
    code = main(["programme", "check", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and "Objet de l'achat" in err and "Montant estimé HT" in err


def test_columns_named_on_the_command_line_are_remembered(capsys, database, tmp_path: Path) -> None:
    path = tmp_path / "autre.csv"
    path.write_text("Quoi;Combien;Quand;Genre\nPapier;100 000;T1 2027;fournitures\n", encoding="utf-8")
    document = run(capsys, "programme", "check", str(path), "--column", "title=Quoi", "--column", "amount=Combien",
                   "--column", "launch=Quand", "--column", "nature=Genre")
    assert document["lines"][0]["error"] is None and document["lines"][0]["procedure"]["id"] == "mapa"
    again = run(capsys, "programme", "check", str(path))  # same layout: the mapping is remembered
    assert again["lines"] == document["lines"]
    code = main(["programme", "check", str(path), "--column", "title=Rien"])
    assert code == 1 and "pas de colonne « Rien »" in capsys.readouterr().err
