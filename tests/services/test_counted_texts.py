"""Counted texts the buyer reads agree with their count: "1 ligne", "2 lignes", never "ligne(s)"
(issue 12). A grep over the sources guards against new "(s)" strings."""

from __future__ import annotations

import re
from pathlib import Path

from achatsdesk.services.decp_import import DecpImportOutcome
from achatsdesk.services.execution_report import ReportOutcome
from achatsdesk.services.programme_dossiers import CreationReport

SOURCES = Path(__file__).resolve().parents[2] / "achatsdesk"


def test_report_summaries_agree_with_their_counts() -> None:
    one = DecpImportOutcome(rows_read=1, imported=1, already_present=0, inclusive_holders=1).summary
    assert one == "1 ligne lue : 1 marché importé, 0 déjà présent, 0 rejetée ; 1 attribué à une structure du catalogue."
    many = DecpImportOutcome(rows_read=3, imported=2, already_present=1, inclusive_holders=2).summary
    assert many.startswith("3 lignes lues : 2 marchés importés, 1 déjà présent,") and "2 attribués" in many
    assert ReportOutcome(rows_read=4, rows_kept=1).summary == "1 ligne retenue sur 4, 0 relevé trimestriel enregistré."
    assert CreationReport(dossiers=(), refused=((3, "illisible"), (4, "illisible"))).summary() == (
        "0 dossier créé ; 2 lignes illisibles non reprises.")


def test_no_parenthesised_plural_in_the_sources() -> None:
    # "(s)" inside a string literal (not the loop variable of "int(s)" or "str(s)").
    pattern = re.compile(r"\w\(s\)[^\w]")
    found = [f"{path.relative_to(SOURCES)}:{number}"
             for path in SOURCES.rglob("*.py")
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if pattern.search(line) and not re.search(r"\b(int|str|float|len)\(s\)", line)
             and "plural" not in path.name]
    assert found == []
