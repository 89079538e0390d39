"""Each importer on real-format samples, then on broken files: a report or a clear French error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from achatsdesk.errors import InputFileError
from achatsdesk.services.catalogue import get_supplier, import_file
from tests.catalogue.conftest import FIXTURES, supplier_count


def _data_rows(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip())


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("asp_siae_2019_sample.csv", "asp-siae"),
        ("geiq_2019_sample.csv", "geiq"),
        ("finess_esat_sample.csv", "finess-esat"),
        ("lemarche_structures_sample.csv", "lemarche"),
    ],
)
def test_real_samples_are_recognised_and_imported(database, name, fmt):
    path = FIXTURES / name
    before = supplier_count(database)
    report = import_file(database, path)  # auto-detection
    assert report.format_code == fmt
    assert report.rows_read == _data_rows(path)
    assert report.rejected == 0
    # Several rows share a SIRET and kind (one supplier), the rest were new or already shipped.
    assert report.added + report.updated + report.unchanged <= report.rows_read
    assert report.added + report.updated + report.unchanged > 0
    assert supplier_count(database) == before + report.added


def test_esat_codes_are_padded_and_placed_at_the_commune_centre(database):
    import_file(database, FIXTURES / "finess_esat_sample.csv")
    # First row of the sample: ESAT ENVOL TRANSITION, postcode "1150", commune "1047", SIRET 14 digits.
    detail = get_supplier(database, "77554456201361")
    assert detail.kind == "ESAT"
    assert detail.postcode == "01150" and detail.insee == "01047" and detail.departement == "01"
    assert detail.geo_precision == "commune" and detail.latitude is not None
    assert detail.capacity == 9


def test_asp_list_fills_departement_and_insee(database):
    import_file(database, FIXTURES / "asp_siae_2019_sample.csv")
    detail = get_supplier(database, "41071771400035")  # AINTERIM'AIR, AMBERIEU EN BUGEY
    assert detail.kind == "ETTI" and detail.departement == "01"
    assert detail.insee == "01004"  # Ambérieu-en-Bugey, found from "AMBERIEU EN BUGEY" + 01500
    assert detail.naf == "7820Z"


def test_reimport_is_idempotent(database):
    first = import_file(database, FIXTURES / "lemarche_structures_sample.csv")
    count = supplier_count(database)
    second = import_file(database, FIXTURES / "lemarche_structures_sample.csv")
    assert second.added == 0 and second.updated == 0
    assert second.unchanged == first.added + first.updated + first.unchanged == first.rows_read
    assert supplier_count(database) == count


def test_lemarche_export_labels_and_rows_without_siret(database):
    report = import_file(database, FIXTURES / "lemarche_export_MADEUP.csv", "lemarche")
    assert report.format_code == "lemarche-export"
    assert report.added == 3 and report.rejected == 1
    assert report.rejections[0].line == 5 and "inconnu" in report.rejections[0].reason
    again = import_file(database, FIXTURES / "lemarche_export_MADEUP.csv", "lemarche")
    assert again.added == 0  # the row without SIRET is matched by name and postcode


def test_sirene_keeps_only_open_ess_units(catalogue_db):
    database = catalogue_db
    report = import_file(database, FIXTURES / "sirene_joined_MADEUP.csv", "sirene")
    assert report.added == 2 and report.rejected == 3
    reasons = " ".join(r.reason for r in report.rejections)
    assert "ESS" in reasons and "fermé" in reasons
    detail = get_supplier(database, "99900001100018")
    assert detail.kind == "ESS" and detail.naf == "8121Z" and detail.insee == "95127"
    assert [name for _, name, origin in detail.sectors if origin == "derived"] == ["Nettoyage de locaux"]


def test_sirene_file_without_the_ess_column_says_what_to_do(database, tmp_path):
    path = tmp_path / "StockEtablissement_extrait.csv"
    path.write_text("siren,nic,siret,codePostalEtablissement\n123456789,00012,12345678900012,95000\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        import_file(database, path, "sirene")
    assert "economieSocialeSolidaireUniteLegale" in info.value.user_message


@pytest.mark.parametrize(
    ("encoding", "separator"), [("utf-8-sig", ";"), ("cp1252", ","), ("latin-1", "\t"), ("utf-8", "\t")]
)
def test_encodings_and_separators_are_detected(database, tmp_path, encoding, separator):
    source = (FIXTURES / "asp_siae_2019_sample.csv").read_text(encoding="utf-8")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(source), delimiter=";"))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator).writerows(rows)
    path = tmp_path / "liste.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    report = import_file(database, path)
    assert report.format_code == "asp-siae" and report.rejected == 0
    assert report.added + report.updated + report.unchanged == len(rows) - 1
    # Accented names survive the round trip whatever the encoding.
    assert get_supplier(database, "41071771400035").legal_form == "SARL coopérative ouvrière de production (SCOP)"


def test_missing_columns_are_named(database, tmp_path):
    path = tmp_path / "geiq.csv"
    path.write_text("GEIQ;ADRESSE;VILLE\nGEIQ TEST;1 rue;Cergy\n", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        import_file(database, path, "geiq")
    assert "SIRET" in info.value.user_message and "CODE POSTAL" in info.value.user_message


def test_bad_siret_is_rejected_or_flagged_and_empty_lines_skipped(database, tmp_path):
    lines = (FIXTURES / "geiq_2019_sample.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("79914163500018", "79914163500019")  # Luhn fails: kept, flagged
    lines[2] = lines[2].replace("38280216300099", "ABC")  # unreadable: rejected
    path = tmp_path / "geiq.csv"
    path.write_text("\n".join([lines[0], "", *lines[1:4], ";;;;;;;;;", ""]) + "\n", encoding="utf-8")
    report = import_file(database, path)
    assert report.rows_read == 3
    assert report.rejected == 1 and report.rejections[0].line == 4 and "SIRET" in report.rejections[0].reason
    assert report.invalid_siret == 1 and report.added + report.updated == 2
    assert get_supplier(database, "79914163500019").siret_valid is False


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, b"PK\x03\x04 not really a zip", b"", b"   \n\n"],
)
def test_not_a_csv_gives_a_french_error(database, tmp_path, content):
    path = tmp_path / "fichier.csv"
    path.write_bytes(content)
    before = supplier_count(database)
    with pytest.raises(InputFileError) as info:
        import_file(database, path)
    assert "fichier" in info.value.user_message.lower()
    assert supplier_count(database) == before


def test_a_single_column_text_file_is_refused(database, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Bonjour\nCeci est une note\n", encoding="utf-8")
    with pytest.raises(InputFileError):
        import_file(database, path)


def test_generic_csv_with_mapping_and_default_kind(database, tmp_path):
    path = tmp_path / "ea_MADEUP.csv"
    path.write_text(
        "Nom de la structure;N° SIRET;CP;Ville\nEXEMPLE INVENTÉ EA du Vexin;99900001100018;95000;Cergy\n", encoding="utf-8"
    )
    with pytest.raises(InputFileError):
        import_file(database, path, "csv")  # no column names the supplier, no kind
    mapping = {"name": "Nom de la structure", "siret": "N° SIRET", "postcode": "CP", "commune": "Ville"}
    report = import_file(database, path, "csv", mapping=mapping, default_kind="EA")
    assert report.added == 1
    detail = get_supplier(database, "99900001100018")
    assert detail.kind == "EA" and detail.insee == "95127" and detail.geo_precision == "commune"


def test_xlsx_is_read(database, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["GEIQ", "ADRESSE", "COMPLEMENT ADRESSE", "VILLE", "CODE POSTAL", "NAF", "SIRET"])
    sheet.append(["GEIQ 22 MULTI SECTEURS", "47, rue du Docteur Rahuel", None, "SAINT-BRIEUC", 22000, "7830Z", 79914163500018])
    path = tmp_path / "geiq.xlsx"
    workbook.save(path)
    report = import_file(database, path)
    assert report.format_code == "geiq" and report.added + report.updated + report.unchanged == 1
    assert get_supplier(database, "79914163500018").postcode == "22000"


def test_a_50_mb_file_is_streamed(database, tmp_path):
    path = tmp_path / "gros_MADEUP.csv"
    filler = "x" * 5000  # long comment cells make 50 MB from 10 000 rows
    with path.open("w", encoding="utf-8") as handle:
        handle.write("raison sociale;type;code postal;commentaire\n")
        for i in range(10_200):
            handle.write(f"EXEMPLE INVENTÉ {i};ACI;95000;{filler}\n")
    assert path.stat().st_size > 50_000_000
    report = import_file(database, path, "csv")
    assert report.rows_read == 10_200 and report.added == 10_200 and report.rejected == 0


def test_missing_file(database, tmp_path):
    with pytest.raises(InputFileError) as info:
        import_file(database, tmp_path / "absent.csv")
    assert "introuvable" in info.value.user_message


def test_copied_fixture_keeps_line_numbers(database, tmp_path):
    path = tmp_path / "copy.csv"
    shutil.copyfile(FIXTURES / "lemarche_export_MADEUP.csv", path)
    report = import_file(database, path)
    assert [r.line for r in report.rejections] == [5]


def test_an_older_list_does_not_erase_a_precise_position(database):
    shipped = get_supplier(database, "41071771400035")  # AINTERIM'AIR: shipped with its address position
    assert shipped.geo_precision == "address"
    import_file(database, FIXTURES / "asp_siae_2019_sample.csv")  # the ASP list has no coordinates
    after = get_supplier(database, "41071771400035")
    assert (after.latitude, after.longitude, after.geo_precision) == (shipped.latitude, shipped.longitude, "address")
    assert after.source.startswith("Import")


def test_communes_written_in_capitals_or_abbreviated_get_their_official_name(database, tmp_path):
    path = tmp_path / "ei_MADEUP.csv"  # made-up structures, for the test only
    path.write_text(
        "Nom;SIRET;CP;Ville\n"
        "EXEMPLE INVENTÉ UN;99900001100026;01700;ST MAURICE DE BEYNOST\n"
        "EXEMPLE INVENTÉ DEUX;99900001100034;19200;USSEL\n"
        "EXEMPLE INVENTÉ TROIS;99900001100042;99999;Ville inconnue\n",
        encoding="utf-8",
    )
    mapping = {"name": "Nom", "siret": "SIRET", "postcode": "CP", "commune": "Ville"}
    import_file(database, path, "csv", mapping=mapping, default_kind="EI")
    assert get_supplier(database, "99900001100026").commune == "Saint-Maurice-de-Beynost"
    assert get_supplier(database, "99900001100034").commune == "Ussel"
    assert get_supplier(database, "99900001100042").commune == "Ville inconnue"  # not found: kept as written
