"""Every failure has its French message: search arguments, a second writer, damaged archives,
bad numbers in supplier rows, UTF-16 without BOM."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile

import pytest

from achatsdesk.cli import main
from achatsdesk.errors import InputFileError, StorageError, ValidationError


@pytest.mark.parametrize("argv, words", [
    (["suppliers", "search", "atelier", "--limit", "20000"], "entre 1 et"),
    (["suppliers", "search", "atelier", "--limit", "0"], "entre 1 et"),
    (["suppliers", "search", "--near", "Pontoise", "--radius-km", "1e308"], "entre 0 et"),
    (["suppliers", "search", "--near", "Pontoise", "--radius-km", "nan"], "entre 0 et"),
    (["cpv", "search", "travaux", "--limit", "1000000"], "entre 1 et"),
])
def test_search_arguments_are_validated_in_french(database, capsys, argv, words) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert words in err and "inattendue" not in err


def test_a_lone_surrogate_in_a_commune_search_is_ignored(database, capsys) -> None:
    assert main(["communes", "search", "Pont\udcffoise", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"]


def test_a_second_writer_waits_then_is_told_another_import_runs(database, tmp_path, monkeypatch) -> None:
    from achatsdesk.services.catalogue import import_file
    from achatsdesk.storage import database as storage_database

    csv = tmp_path / "f.csv"
    csv.write_text("Raison sociale;Siret;Type de structure;Ville;Code Postal\n"
                   "EXEMPLE INVENTÉ Atelier;;Entreprise d'insertion (EI);Paris;75001\n", encoding="utf-8")
    holder = sqlite3.connect(database.path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # another import holds the write lock
    try:
        with pytest.raises(StorageError) as raised:
            import_file(database, csv)
    finally:
        holder.rollback()
        holder.close()
    assert "Un autre traitement (un import ?)" in raised.value.user_message
    assert storage_database  # the busy timeout (5 s) is the engine's, waited before this message


def _damaged_variants(good: bytes) -> dict[str, bytes]:
    """A valid archive broken the ways a copy breaks: truncated, flipped inflated data, encrypted, odd method."""
    variants = {"tronque": good[: len(good) // 2]}
    archive = zipfile.ZipFile(io.BytesIO(good))
    second = archive.infolist()[-1]
    data_start = second.header_offset + 30 + len(second.filename.encode()) + len(second.extra)
    flipped = bytearray(good)
    for i in range(data_start + 2, min(data_start + 40, data_start + second.compress_size)):
        flipped[i] ^= 0x5A
    variants["crc-ou-zlib"] = bytes(flipped)
    for name, patch in (("chiffre", lambda b, off: b.__setitem__(slice(off + 6, off + 8), b"\x01\x00")),
                        ("methode-inconnue", lambda b, off: b.__setitem__(slice(off + 8, off + 10), b"\x63\x00"))):
        changed = bytearray(good)
        central = good.rfind(b"PK\x01\x02")
        patch(changed, central + 2)  # central directory entry of the last member
        variants[name] = bytes(changed)
    return variants


def test_damaged_exchange_files_and_packs_say_fichier_endommage(database, tmp_path) -> None:
    from achatsdesk.domain.dossier import Dossier
    from achatsdesk.services.clause_packs import import_pack
    from achatsdesk.services.dossier_exchange import export_dossier, import_dossier
    from achatsdesk.services.dossiers import create_dossier

    dossier_id = create_dossier(database, Dossier(title="Dossier fictif"))
    good_exchange = export_dossier(database, dossier_id, tmp_path / "bon.achatsdesk").read_bytes()
    pack = tmp_path / "bon.achatsdesk-clauses"
    with zipfile.ZipFile(pack, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(
            {"format": "achatsdesk-clauses", "version": 1, "clauses": ["clauses/perso-essai.json"]}))
        archive.writestr("clauses/perso-essai.json", json.dumps({"id": "perso-essai", "body": "Texte " * 40}))
    for kind, good, reader in (("echange", good_exchange, import_dossier), ("paquet", pack.read_bytes(), import_pack)):
        for name, broken in _damaged_variants(good).items():
            path = tmp_path / f"{kind}-{name}.bin"
            path.write_bytes(broken)
            with pytest.raises(InputFileError) as raised:
                reader(database, path)
            assert "endommagé" in raised.value.user_message, (kind, name, raised.value.user_message)


def test_a_bad_number_rejects_its_row_with_its_line_and_the_import_goes_on(database, tmp_path) -> None:
    from achatsdesk.services.catalogue import import_file

    csv = tmp_path / "fournisseurs.csv"
    rows = ["name;kind;latitude;longitude;capacity"]
    rows += [f"EXEMPLE INVENTÉ {i};EI;48.8;2.3;{value}" for i, value in enumerate(["10", "inf", "nan", "1e30", "12"])]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")

    report = import_file(database, csv, "csv", default_kind="EI",
                         mapping={"name": "name", "kind": "kind", "latitude": "latitude",
                                  "longitude": "longitude", "capacity": "capacity"})

    lines = sorted(r.line for r in report.rejections)
    assert lines == [3, 4, 5]
    assert all("plausible" in r.reason for r in report.rejections)
    assert report.added == 2


def test_a_cell_over_the_limit_rejects_its_row_and_the_import_goes_on(database, tmp_path) -> None:
    from achatsdesk.services.catalogue import import_file

    csv = tmp_path / "fournisseurs.csv"
    csv.write_text("name;kind\n" + f"EXEMPLE INVENTÉ A;{'x' * 200_000}\n" + "EXEMPLE INVENTÉ B;EI\n", encoding="utf-8")

    report = import_file(database, csv, "csv", default_kind="EI", mapping={"name": "name", "kind": "kind"})

    assert [r.line for r in report.rejections] == [2] and "cellule" in report.rejections[0].reason
    assert report.added == 1


def test_utf16_without_bom_is_read(tmp_path) -> None:
    from achatsdesk.catalogue.reader import preview

    path = tmp_path / "utf16.csv"
    path.write_bytes("Raison sociale;Siret;Type de structure\nÉlan fictif;;EI\n".encode("utf-16-le"))
    shown = preview(path)
    assert "UTF-16" in shown.encoding_label and shown.rows[0][0] == "Élan fictif"


def test_an_xlsx_without_a_sheet_or_damaged_is_refused_in_french(tmp_path) -> None:
    from achatsdesk.catalogue.reader import preview

    path = tmp_path / "vide.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(InputFileError) as raised:
        preview(path)
    assert "illisible" in raised.value.user_message or "endommagé" in raised.value.user_message


def test_wrong_types_in_an_exchange_file_blame_the_file_and_name_the_field(database, tmp_path) -> None:
    from achatsdesk.services.dossier_exchange import import_dossier

    path = tmp_path / "types.achatsdesk"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps({"format": "achatsdesk-dossier", "schema_version": 1}))
        archive.writestr("dossier.json", json.dumps({"dossier": {"title": "Fictif", "buyer": {"name": {"x": 1}}}}))
    with pytest.raises(InputFileError) as raised:
        import_dossier(database, path)
    assert "buyer.name" in raised.value.user_message and "base de données" not in raised.value.user_message


def test_validation_error_is_the_type_used_for_bounds() -> None:
    from achatsdesk.domain.input_limits import check_limit, check_radius

    with pytest.raises(ValidationError):
        check_limit(10_001)
    with pytest.raises(ValidationError):
        check_radius(float("inf"))
    assert check_limit(10_000) == 10_000 and check_radius(0) == 0.0




def test_the_limits_can_be_changed_by_a_settings_file(tmp_path, monkeypatch) -> None:
    from achatsdesk.domain import input_limits

    monkeypatch.setattr(input_limits, "LIMITS", input_limits.LIMITS)
    (tmp_path / "limites.json").write_text('{"max_columns": 3, "max_cell_chars": "beaucoup", "inconnu": 1}',
                                           encoding="utf-8")
    limits = input_limits.load_limits(tmp_path)
    assert limits.max_columns == 3 and input_limits.LIMITS.max_columns == 3
    assert limits.max_cell_chars == input_limits.InputLimits().max_cell_chars  # a bad value keeps the default
    (tmp_path / "limites.json").write_text("pas du JSON", encoding="utf-8")
    assert input_limits.load_limits(tmp_path) == input_limits.InputLimits()
    (tmp_path / "limites.json").write_text("[1, 2]", encoding="utf-8")
    assert input_limits.load_limits(tmp_path) == input_limits.InputLimits()
