"""The award and the realised figures travel in the exchange file."""

from __future__ import annotations

from datetime import date

from achatsdesk.domain.dossier import DossierStatus
from achatsdesk.services import execution
from achatsdesk.services.dossier_exchange import export_dossier, import_dossier
from achatsdesk.services.dossiers import get_dossier
from tests.execution.conftest import SIAE_SIRET


def test_award_and_figures_survive_export_and_import(database, validated, tmp_path) -> None:
    execution.award_lot(database, validated, lot=1, siret=SIAE_SIRET, notified_on="2027-01-04", amount=680000,
                        duration_months=12)
    execution.record_realised(database, validated, clause_id="insertion-heures", lot=1, period="2027-T1", value=120,
                              beneficiaries={"rsa": 2})
    target = export_dossier(database, validated, tmp_path / "envoi")
    outcome = import_dossier(database, target)
    assert outcome.kept_both
    imported = execution.dossier_follow_up(database, outcome.dossier_id, today=date(2027, 4, 1))
    assert imported.lots[0].award.holder_kind == "ACI"
    assert imported.lots[0].progress[0].by_period == {"2027-T1": 120}
    assert get_dossier(database, outcome.dossier_id).dossier.status == DossierStatus.EN_EXECUTION
    # An undone award goes back to the validated status on the copy too.
    execution.award_lot(database, outcome.dossier_id, lot=2, siret=SIAE_SIRET, notified_on="2027-01-04", amount=1)
    assert execution.undo_award(database, outcome.dossier_id, 2)
