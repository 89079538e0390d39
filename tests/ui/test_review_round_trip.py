"""A review that comes back (issue 12): the whole round trip between two homes.

The buyer and the head each have their own ACHATSDESK_HOME (their own database);
only the exchange files travel between them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from achatsdesk.domain.dossier import Dossier, DossierStatus
from achatsdesk.domain.review import Decision
from achatsdesk.paths import AppPaths
from achatsdesk.services import dossiers as svc
from achatsdesk.services.exports import review_input_for
from achatsdesk.services.review_return import ReturnPreview

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nettoyage-colleges.json"


@pytest.fixture
def head_context(tmp_path, _template_database):
    """The head's own home: another folder, another database."""
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.services.reference import ReferenceService
    from achatsdesk.ui.context import ShellContext
    from achatsdesk.ui.settings import Settings

    root = tmp_path / "head-home"
    paths = AppPaths(root / "data", root / "config", root / "logs", root / "backups").ensure()
    shutil.copyfile(_template_database, paths.database)
    database = open_database(paths)
    yield ShellContext(paths, database, Settings(paths.config), ReferenceService(database))
    database.dispose()


def _page(qtbot, context):
    from achatsdesk.ui.dossier.dossiers_page import DossiersPage

    page = DossiersPage(context)
    qtbot.addWidget(page)
    page.resize(1300, 850)
    page.show()
    return page


def test_a_review_round_trip_between_two_homes(qtbot, shell_context, head_context, database, tmp_path):
    buyer_db, head_db = database, head_context.database
    assert buyer_db.engine.url != head_db.engine.url
    dossier_id = svc.create_dossier(buyer_db, Dossier.from_dict(json.loads(EXAMPLE.read_text(encoding="utf-8"))))
    item_id = next(iter(svc.get_dossier(buyer_db, dossier_id).dossier.items or {"lots-decision": None}))

    # 1. The buyer sends: status "À relire" in the header and the list, a round "envoyé".
    buyer = _page(qtbot, shell_context)
    buyer.open_dossier(dossier_id)
    sent = tmp_path / "envoi.achatsdesk"
    buyer.send_for_review(sent)
    assert "À relire" in buyer.editor_title.text()
    assert buyer.model.rowCount() == 1 and buyer.model.row(0).status == DossierStatus.A_RELIRE.value
    assert svc.get_dossier(buyer_db, dossier_id).dossier.status == DossierStatus.A_RELIRE

    # 2. The head imports it (a new dossier there), comments an item and sends it back "À reprendre".
    head = _page(qtbot, head_context)
    head.import_file(sent)
    head_id = head.last_import.dossier_id
    editor = head.open_dossier(head_id, review_mode=True)
    editor._on_item_comment(item_id, "Justifiez ce point")
    editor.decide("a_reprendre", "Mme Relectrice", "Précisez les heures d'insertion")
    assert "À reprendre" in head.editor_title.text()
    returned = tmp_path / "retour.achatsdesk"
    head.export_current(returned)

    # 3. The buyer imports the return: what changes is shown, then merged into the same dossier.
    previews: list[ReturnPreview] = []
    buyer.confirm_merge = lambda preview: previews.append(preview) or True
    buyer.import_file(returned)
    assert len(previews) == 1
    shown = "\n".join(previews[0].lines())
    assert "À relire → À reprendre" in shown and "Précisez les heures d'insertion" in shown
    assert "Justifiez ce point" in shown
    assert svc.count_dossiers(buyer_db) == 1
    stored = svc.get_dossier(buyer_db, dossier_id).dossier
    assert stored.status == DossierStatus.A_REPRENDRE
    assert [r.decision for r in stored.reviews] == [Decision.ENVOYE, Decision.A_REPRENDRE]
    assert stored.items[item_id].comment == "Justifiez ce point"
    editor = buyer.editor
    assert editor.dossier_id == dossier_id and "À reprendre" in buyer.editor_title.text()
    assert not editor.return_banner.isHidden()
    banner = editor.return_banner.text()
    assert banner.startswith("Retourné par Mme Relectrice, le ") and "Précisez les heures d'insertion" in banner
    assert "Envoyé en relecture" in editor.rounds.text() and "À reprendre par Mme Relectrice" in editor.rounds.text()

    # 4. The buyer reworks and sends again: the banner goes; the head's import updates its copy.
    editor.apply_edit("Modifier l'intitulé", lambda d: setattr(d, "title", "Nettoyage des collèges (repris)"))
    sent_again = tmp_path / "envoi-2.achatsdesk"
    buyer.send_for_review(sent_again)
    assert editor.return_banner.isHidden() and "À relire" in buyer.editor_title.text()
    head.confirm_merge = lambda preview: True
    head.close_editor()
    head.import_file(sent_again)
    assert svc.count_dossiers(head_db) == 1
    head_copy = svc.get_dossier(head_db, head_id).dossier
    assert head_copy.title == "Nettoyage des collèges (repris)" and head_copy.status == DossierStatus.A_RELIRE

    # 5. The head validates; the buyer imports: validated, with every round in the history.
    editor = head.open_dossier(head_id, review_mode=True)
    editor.confirm_validation = lambda points: True
    editor.decide("valide", "Mme Relectrice", "Bon pour publication")
    validated = tmp_path / "retour-2.achatsdesk"
    head.export_current(validated)
    buyer.import_file(validated)
    assert svc.count_dossiers(buyer_db) == 1
    stored = svc.get_dossier(buyer_db, dossier_id).dossier
    assert stored.status == DossierStatus.VALIDE
    assert [r.decision for r in stored.reviews] == [Decision.ENVOYE, Decision.A_REPRENDRE, Decision.ENVOYE,
                                                    Decision.VALIDE]
    assert buyer.editor.return_banner.isHidden() and "Validé" in buyer.editor_title.text()
    assert buyer.model.row(0).status == DossierStatus.VALIDE.value
    report = review_input_for(dossier_id, database=buyer_db)
    assert [e.decision for e in report.history] == ["Envoyé en relecture", "À reprendre", "Envoyé en relecture", "Validé"]
    assert (report.sign_off.name, report.sign_off.decision) == ("Mme Relectrice", "valide")


def test_a_different_dossier_with_the_same_uid_is_still_kept_beside(database, tmp_path):
    from achatsdesk.services.dossier_exchange import export_dossier
    from achatsdesk.services.review_return import import_or_merge

    dossier_id = svc.create_dossier(database, Dossier("Marché de voirie"))
    svc.record_review(database, dossier_id, "a_reprendre", "M. Chef", "Revoir")
    path = export_dossier(database, dossier_id, tmp_path / "x.achatsdesk")
    # Here the history went another way: the file's rounds do not continue it.
    svc.record_review(database, dossier_id, "valide", "Mme Autre", "")
    other = svc.create_dossier(database, Dossier("Autre"))
    assert other
    outcome = import_or_merge(database, path, confirm=lambda p: pytest.fail("no merge expected"))
    assert outcome.kept_both and svc.count_dossiers(database) == 3
    assert svc.get_dossier(database, dossier_id).dossier.status == DossierStatus.VALIDE


def test_the_heads_name_is_remembered(qtbot, make_editor, database):
    dossier_id = svc.create_dossier(database, Dossier("Voirie (fictif)"))
    svc.record_review(database, dossier_id, "envoye", "", "")
    editor = make_editor(dossier_id, review_mode=True)
    assert editor.review_bar.reviewer.text() == ""
    editor.decide("a_reprendre", "Mme Relectrice", "Revoir le lot")
    again = make_editor(dossier_id, review_mode=True)
    assert again.review_bar.reviewer.text() == "Mme Relectrice"
    assert again.fields.title.isReadOnly() and "readOnly" in again.fields.styleSheet()


def test_a_validation_of_a_dossier_changed_since_sending_leaves_it_in_draft(database, tmp_path):
    from achatsdesk.services.dossier_exchange import export_dossier
    from achatsdesk.services.review_return import import_or_merge, record_sending

    dossier_id = svc.create_dossier(database, Dossier("Voirie (fictif)"))
    record_sending(database, dossier_id)
    sent = svc.get_dossier(database, dossier_id).dossier
    svc.record_review(database, dossier_id, "valide", "M. Chef", "")
    validated = export_dossier(database, dossier_id, tmp_path / "valide.achatsdesk")
    # Back to the buyer's side: only the sending, then a change made after it.
    with database.unit_of_work() as session:
        from achatsdesk.storage.models.dossiers import DossierReviewRow

        last = session.query(DossierReviewRow).order_by(DossierReviewRow.id.desc()).first()
        session.delete(last)
    sent.title = "Voirie communale (fictif)"
    sent.status = DossierStatus.BROUILLON
    svc.save_dossier(database, dossier_id, sent, svc.get_dossier(database, dossier_id).revision)
    seen = []
    outcome = import_or_merge(database, validated, confirm=lambda p: seen.append(p) or True)
    assert seen[0].changed_here and "reste en brouillon" in "\n".join(seen[0].lines())
    stored = svc.get_dossier(database, dossier_id).dossier
    assert outcome.status == DossierStatus.BROUILLON == stored.status
    assert stored.title == "Voirie communale (fictif)" and [r.decision.value for r in stored.reviews] == ["envoye", "valide"]
