"""Killing the process during a report import leaves the follow-up as it was."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest

from achatsdesk.services import execution
from tests.execution.conftest import SIAE_SIRET
from tests.sigkill import assert_intact, kill_while_writing

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from achatsdesk.services.execution_report import import_report
    from achatsdesk.paths import app_paths
    from achatsdesk.services.team_connection import configured_address
    from achatsdesk.storage.database import Database

    # The test's engines: the team server too when ACHATSDESK_DATABASE_URL is set (killed mid-transaction).
    database = Database(Path(sys.argv[1]), configured_address(app_paths()))
    said = []

    def progress(done, total, message):
        if not said:
            said.append(True)
            print("ready", flush=True)

    import_report(database, int(sys.argv[2]), Path(sys.argv[3]), progress=progress)
    print("finished", flush=True)
""")


@pytest.mark.slow
def test_sigkill_during_a_report_import_changes_nothing(database, validated, tmp_path):
    execution.award_lot(database, validated, lot=1, siret=SIAE_SIRET, notified_on="2027-01-04", amount=680000)
    execution.record_realised(database, validated, clause_id="insertion-heures", lot=1, period="2027-T1", value=12)
    before = execution.dossier_follow_up(database, validated, today=date(2027, 4, 1))
    # A long report (thousands of periods) so that the kill lands while its figures are written.
    lines = ["SIRET;Période;Heures"] + [f"{SIAE_SIRET};{year}-T{q};7" for year in range(2027, 5027) for q in (1, 2, 3, 4)]
    report = tmp_path / "releve-long.csv"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    database.dispose()
    kill_while_writing(WRITER, [str(database.path), str(validated), str(report)], tmp_path, writing_for=0.3)
    assert_intact(database.path)
    after = execution.dossier_follow_up(database, validated, today=date(2027, 4, 1))
    assert after == before
    assert after.lots[0].progress[0].by_period == {"2027-T1": 12}
