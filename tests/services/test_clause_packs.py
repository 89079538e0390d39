"""Library packs: export, import on another machine, and refusal of unsafe packs as a whole."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from achatsdesk.errors import InputFileError
from achatsdesk.services.clause_format import clause_from_dict
from achatsdesk.services.clause_library import load_library, save_user_clause, user_clauses
from achatsdesk.services.clause_packs import check_entry_name, export_pack, import_pack
from achatsdesk.storage.models.clauses import UserClauseRow

FIXTURE = Path(__file__).parent.parent / "fixtures" / "clauses" / "user-clause.json"


def good_clause(clause_id: str = "perso-insertion-locale", body: str | None = None) -> dict:
    data = json.loads(FIXTURE.read_text("utf-8"))
    data["id"] = clause_id
    if body is not None:
        data["body"] = body
    return data


def write_pack(path: Path, entries: dict[str, dict | str], listed: list[str] | None = None, version: int = 1) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        manifest = {"format": "achatsdesk-clauses", "version": version, "clauses": listed if listed is not None else list(entries)}
        archive.writestr("manifest.json", json.dumps(manifest))
        for name, content in entries.items():
            archive.writestr(name, content if isinstance(content, str) else json.dumps(content, ensure_ascii=False))
    return path


def test_export_then_import_on_an_empty_library(database, tmp_path) -> None:
    save_user_clause(database, clause_from_dict(good_clause()))
    save_user_clause(database, clause_from_dict(good_clause("perso-deux")))
    pack = tmp_path / "mes-clauses.zip"
    assert export_pack(database, pack) == 2
    with database.unit_of_work() as session:  # through the model, so the session routes it to the clauses' engine
        session.execute(delete(UserClauseRow))
    assert user_clauses(database) == []

    report = import_pack(database, pack)
    assert sorted(report.added) == ["perso-deux", "perso-insertion-locale"] and report.updated == ()
    assert load_library(database).get("perso-deux").title.startswith("Clause d'essai")
    again = import_pack(database, pack)
    assert sorted(again.updated) == ["perso-deux", "perso-insertion-locale"] and again.added == ()


@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__ }}",
    "{{ heures|attr('__globals__') }}",
    "{% for c in ''.__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
])
def test_a_pack_reaching_into_python_internals_is_refused_whole(database, tmp_path, body) -> None:
    pack = write_pack(tmp_path / "piege.zip", {
        "clauses/perso-insertion-locale.json": good_clause(),
        "clauses/perso-piege.json": good_clause("perso-piege", body),
    })
    with pytest.raises(InputFileError) as caught:
        import_pack(database, pack)
    assert "perso-piege" in caught.value.message and "Aucune clause n'a été importée" in caught.value.hint
    assert user_clauses(database) == []  # the valid clause of the same pack was not imported either


@pytest.mark.parametrize("body", [
    "{{ 'x' * 999999999 }}",
    "{{ 10 ** (10 ** 8) }}",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{% for i in 'x' * 9999 %}{{ 'y' * 9999 }}{% endfor %}",
])
def test_a_pack_whose_clause_would_exhaust_memory_or_time_is_refused_whole(database, tmp_path, body) -> None:
    import time

    pack = write_pack(tmp_path / "gourmand.zip", {
        "clauses/perso-insertion-locale.json": good_clause(),
        "clauses/perso-gourmande.json": good_clause("perso-gourmande", body),
    })
    started = time.perf_counter()
    with pytest.raises(InputFileError) as caught:
        import_pack(database, pack)
    assert time.perf_counter() - started < 2.0
    assert "perso-gourmande" in caught.value.message and "Aucune clause n'a été importée" in caught.value.hint
    assert user_clauses(database) == []


@pytest.mark.parametrize("name", ["../../x", "/etc/passwd", "clauses/../../x.json", "C:\\x.json", "clauses\\x.json",
                                  "autre/x.json"])
def test_a_pack_with_an_unsafe_path_is_refused_whole(database, tmp_path, name) -> None:
    pack = write_pack(tmp_path / "chemin.zip", {
        "clauses/perso-insertion-locale.json": good_clause(),
        name: good_clause("perso-x"),
    }, listed=["clauses/perso-insertion-locale.json"])
    with pytest.raises(InputFileError, match="chemin"):
        import_pack(database, pack)
    assert user_clauses(database) == []
    assert not (tmp_path.parent / "x").exists()


def test_unsafe_path_in_the_manifest_is_refused(database, tmp_path) -> None:
    pack = write_pack(tmp_path / "m.zip", {"clauses/perso-insertion-locale.json": good_clause()},
                      listed=["clauses/perso-insertion-locale.json", "../../x"])
    with pytest.raises(InputFileError, match="../../x"):
        import_pack(database, pack)
    assert user_clauses(database) == []


@pytest.mark.parametrize("case, expected", [
    ("not-zip", "archive zip"),
    ("newer", "plus récente"),
    ("shipped-id", "clause livrée"),
    ("mismatch", "contient la clause"),
    ("bad-json", "JSON"),
    ("missing", "absente"),
])
def test_other_broken_packs_are_refused_in_french(database, tmp_path, case, expected) -> None:
    path = tmp_path / f"{case}.zip"
    if case == "not-zip":
        path.write_text("ceci n'est pas une archive", encoding="utf-8")
    elif case == "newer":
        write_pack(path, {"clauses/perso-insertion-locale.json": good_clause()}, version=99)
    elif case == "shipped-id":
        write_pack(path, {"clauses/insertion-heures.json": good_clause("insertion-heures")})
    elif case == "mismatch":
        write_pack(path, {"clauses/perso-a.json": good_clause("perso-b")})
    elif case == "bad-json":
        write_pack(path, {"clauses/perso-a.json": "{pas du json"})
    elif case == "missing":
        write_pack(path, {}, listed=["clauses/perso-a.json"])
    with pytest.raises(InputFileError) as caught:
        import_pack(database, path)
    assert expected in caught.value.message
    assert user_clauses(database) == []


def test_entry_names() -> None:
    assert check_entry_name("manifest.json") and check_entry_name("clauses/abc-1.json")
    for bad in ("../manifest.json", "clauses/ABC.json", "clauses/a/b.json", "clauses/.json", "/clauses/a1.json"):
        assert not check_entry_name(bad)


def test_export_refuses_shipped_clauses_and_an_empty_library(database, tmp_path) -> None:
    from achatsdesk.errors import ValidationError

    with pytest.raises(ValidationError, match="aucune clause"):
        export_pack(database, tmp_path / "vide.zip")
    with pytest.raises(ValidationError, match="seules vos clauses"):
        export_pack(database, tmp_path / "x.zip", ["insertion-heures"])
    assert not (tmp_path / "x.zip").exists()


def test_a_link_inside_a_pack_is_refused(database, tmp_path) -> None:
    pack = tmp_path / "lien.zip"
    with zipfile.ZipFile(pack, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "achatsdesk-clauses", "version": 1,
                                                      "clauses": ["clauses/perso-insertion-locale.json"]}))
        link = zipfile.ZipInfo("clauses/perso-insertion-locale.json")
        link.external_attr = (0o120777 << 16)  # a symbolic link
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(InputFileError, match="lien"):
        import_pack(database, pack)
    assert user_clauses(database) == []


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_no_accepted_entry_name_can_leave_the_pack(name: str) -> None:
    if check_entry_name(name):
        assert ".." not in name and not name.startswith("/") and "\\" not in name and ":" not in name
        assert name == "manifest.json" or (name.startswith("clauses/") and name.count("/") == 1)
