"""The shipped catalogue: real counts, loaded once, reloaded only when the shipped files change."""

from __future__ import annotations

import csv
import shutil
import time

from achatsdesk.catalogue.embedded import EMBEDDED_FILES, STRUCTURES_FILE
from achatsdesk.catalogue.records import siret_is_valid
from achatsdesk.paths import resources_dir
from achatsdesk.services import catalogue_shortlists as shortlists
from achatsdesk.services.catalogue import catalogue_summary, ensure_embedded_catalogue, get_supplier
from tests.catalogue.conftest import supplier_count

DATA = resources_dir() / "data"


def _shipped_rows() -> list[dict]:
    with (DATA / STRUCTURES_FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_shipped_catalogue_is_loaded_with_its_sources(catalogue_db):
    rows = _shipped_rows()
    assert 5000 < len(rows) < 6000
    assert supplier_count(catalogue_db) == len(rows)
    summary = catalogue_summary(catalogue_db)
    assert (summary.first_year, summary.last_year) == ("2019", "2025")
    kinds = {r["kind"] for r in rows}
    assert {"ACI", "EI", "AI", "ETTI", "GEIQ", "ESAT"} <= kinds
    assert all(r["source"] and r["source_date"] for r in rows)
    assert {r["geo_precision"] for r in rows} <= {"address", "commune", "none"}
    keys = [(r["siret"] or r["alt_key"], r["kind"]) for r in rows]
    assert len(keys) == len(set(keys))  # de-duplicated by SIRET and kind


def test_second_start_is_a_no_op_and_fast(catalogue_db):
    started = time.perf_counter()
    assert ensure_embedded_catalogue(catalogue_db.engine) is None
    assert time.perf_counter() - started < 0.5


def test_first_load_is_well_under_two_seconds(database, tmp_path):
    with database.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM reference_dataset WHERE name = 'catalogue'")
    started = time.perf_counter()
    assert ensure_embedded_catalogue(database.engine) == len(_shipped_rows())
    assert time.perf_counter() - started < 2.0


def test_changed_shipped_file_reloads_and_keeps_ids_and_shortlists(catalogue_db, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in (*EMBEDDED_FILES, "communes_cog2026.csv"):
        shutil.copyfile(DATA / name, data / name)
    kept = get_supplier(catalogue_db, "80746931700018")
    list_id = shortlists.create_shortlist(catalogue_db, "Traiteurs")
    shortlists.add_to_shortlist(catalogue_db, list_id, kept.id)
    rows = _shipped_rows()
    dropped = next(r for r in rows if r["siret"] and r["siret"] != "80746931700018")
    with (data / STRUCTURES_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r is not dropped)
    assert ensure_embedded_catalogue(catalogue_db.engine, data) == len(rows) - 1
    assert supplier_count(catalogue_db) == len(rows) - 1
    assert get_supplier(catalogue_db, "80746931700018").id == kept.id
    assert [e.supplier_id for e in shortlists.shortlist_entries(catalogue_db, list_id)] == [kept.id]


def test_fast_siret_check_agrees_with_python_stdnum():
    from stdnum.fr import siret

    samples = [r["siret"] for r in _shipped_rows() if r["siret"]]
    samples += [f"{n:014d}" for n in range(35600000000000, 35600000000100)]  # La Poste
    samples += ["80746931700019", "12345678901234", "00000000000000"]
    assert all(siret_is_valid(s) == siret.is_valid(s) for s in samples)


def test_fast_siret_check_agrees_with_python_stdnum_on_random_numbers():
    import random

    from stdnum import luhn
    from stdnum.fr import siret

    def valid(body: str) -> str:  # the SIREN's check digit, then the SIRET's
        siren = body[:8] + luhn.calc_check_digit(body[:8])
        head = siren + body[9:13]
        return head + luhn.calc_check_digit(head)

    rng = random.Random(15)
    samples = ["".join(rng.choices("0123456789", k=14)) for _ in range(20_000)]
    samples = [valid(s) if i % 3 == 0 else s for i, s in enumerate(samples)]  # a third valid, the rest mostly not
    assert sum(siret.is_valid(s) for s in samples) > 2000  # valid ones too, not only the 90 % that fail
    assert [siret_is_valid(s) for s in samples] == [siret.is_valid(s) for s in samples]


def test_a_siret_in_other_digits_is_refused_with_its_line_not_a_crash():
    import pytest

    from achatsdesk.catalogue.records import RowRejected, normalise_siret

    with pytest.raises(RowRejected, match="illisible"):
        normalise_siret("٩٠٠٠٠٠٠٠١٠٠٠١٧")  # Arabic-Indic digits
    assert siret_is_valid("９００００００００１００１７") is False  # full-width digits
    assert normalise_siret(" 900 000 001 00017 ") == ("90000000100017", True)


def test_user_sector_correction_survives_a_reimport(catalogue_db):
    from achatsdesk.services.catalogue import import_file, list_sectors, set_supplier_sectors
    from tests.catalogue.conftest import FIXTURES

    supplier = get_supplier(catalogue_db, "41071771400035")
    sector = next(s for s in list_sectors(catalogue_db) if s.name == "Logistique, conditionnement")
    set_supplier_sectors(catalogue_db, supplier.id, [sector.id])
    import_file(catalogue_db, FIXTURES / "asp_siae_2019_sample.csv")
    after = get_supplier(catalogue_db, "41071771400035")
    assert after.sectors == [(sector.id, "Logistique, conditionnement", "user")]
    from achatsdesk.services.catalogue import search_suppliers

    assert supplier.id in [h.id for h in search_suppliers(catalogue_db, "logistique", limit=500).hits]
