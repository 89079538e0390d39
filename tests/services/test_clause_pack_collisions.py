"""A clause pack never replaces a user's own clause silently (no lost write)."""

from __future__ import annotations

from achatsdesk.services.clause_format import clause_from_dict
from achatsdesk.services.clause_library import load_library, save_user_clause, user_clauses
from achatsdesk.services.clause_packs import import_pack
from tests.services.test_clause_packs import good_clause, write_pack

MINE = "Article - Insertion\n\nLe titulaire réserve {{ heures }} heures à l'insertion (ma rédaction).\n"
THEIRS = "Article - Insertion\n\nLe titulaire consacre {{ heures }} heures à l'insertion (rédaction du collègue).\n"


def test_same_id_and_another_text_is_imported_as_a_copy_and_the_report_says_so(database, tmp_path) -> None:
    save_user_clause(database, clause_from_dict(good_clause(body=MINE)))
    pack = write_pack(tmp_path / "collegue.zip", {
        "clauses/perso-insertion-locale.json": good_clause(body=THEIRS),
        "clauses/perso-nouvelle.json": good_clause("perso-nouvelle"),
    })
    report = import_pack(database, pack)
    assert report.added == ("perso-nouvelle",) and report.updated == ()
    assert report.copied == (("perso-insertion-locale", "perso-insertion-locale-import"),)
    library = load_library(database)
    assert library.get("perso-insertion-locale").body == MINE  # the user's own wording is kept
    copy = library.get("perso-insertion-locale-import")
    assert copy.body == THEIRS and copy.title.endswith("(importée)")
    assert "perso-insertion-locale-import" in report.summary() and "votre clause est gardée" in report.summary()
    assert report.total == 2

    again = import_pack(database, pack)  # a second import makes a second copy, never an overwrite
    assert again.copied == (("perso-insertion-locale", "perso-insertion-locale-import-2"),)
    assert load_library(database).get("perso-insertion-locale").body == MINE
    assert len(user_clauses(database)) == 4


def test_same_id_and_same_text_is_an_update(database, tmp_path) -> None:
    save_user_clause(database, clause_from_dict(good_clause(body=MINE)))
    refreshed = good_clause(body=MINE)
    refreshed["version"] = "1.1"
    report = import_pack(database, write_pack(tmp_path / "p.zip", {"clauses/perso-insertion-locale.json": refreshed}))
    assert report.updated == ("perso-insertion-locale",) and report.copied == () and report.added == ()
    assert load_library(database).get("perso-insertion-locale").version == "1.1"
    assert [c.id for c in user_clauses(database)] == ["perso-insertion-locale"]
