"""Byte mutations of valid files never end in an "erreur inattendue".

Hypothesis flips, overwrites, cuts and inserts bytes in a valid exchange file,
clause pack, supplier CSV and supplier XLSX; each reader must then either read
the file or refuse it with one of achatsdesk's French errors. Any other
exception is what the window and the command line would show as "erreur
inattendue". ``FUZZ_EXAMPLES`` (``make fuzz``) raises the 300 examples of CI.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from achatsdesk.errors import AchatsdeskError

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                database=None)


def _exchange_file() -> bytes:
    from achatsdesk.domain.dossier import Dossier, Lot

    dossier = Dossier(title="Dossier fictif de nettoyage", cpv=["90910000-9"], lots=[Lot(title="Lot fictif")],
                      duration_months=24)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps({"format": "achatsdesk-dossier", "schema_version": 1}))
        archive.writestr("dossier.json", json.dumps({"dossier": dossier.to_dict(), "shortlist": None}))
    return buffer.getvalue()


def _pack() -> bytes:
    clause = {
        "id": "perso-fuzz", "title": "Essai", "family": "condition-sociale", "kind": "condition-execution",
        "document": "CCAP", "legal_basis": "L2112-2", "applies_from": "2019-04-01", "version": "1.0",
        "body": "Le titulaire réserve {{ heures|hours }} à l'insertion{% if note %} ({{ note }}){% endif %}.",
        "variables": [
            {"name": "heures", "label": "Heures", "type": "integer", "default": 35, "min": 0, "max": 10000},
            {"name": "note", "label": "Note", "type": "text", "default": "", "required": False},
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(
            {"format": "achatsdesk-clauses", "version": 1, "clauses": ["clauses/perso-fuzz.json"]}))
        archive.writestr("clauses/perso-fuzz.json", json.dumps(clause, ensure_ascii=False))
    return buffer.getvalue()


def _csv() -> bytes:
    return (FIXTURES / "catalogue" / "lemarche_export_MADEUP.csv").read_bytes()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for line in _csv().decode("utf-8").splitlines():
        sheet.append(line.split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def mutated(draw, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "set", "cut", "insert", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif action == "set" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at:at + draw(st.integers(1, 64))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif action == "truncate":
            del data[at:]
    return bytes(data)


def _read_or_refuse(suffix: str, data: bytes, read: Callable[[Path], object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            result = read(path)
            if hasattr(result, "__iter__") and not isinstance(result, (str, bytes, dict, tuple)):
                for _ in result:  # a reader of rows: read them all
                    pass
        except AchatsdeskError as exc:
            assert exc.user_message and "inattendue" not in exc.user_message


def _exchange_reader(path: Path):
    from achatsdesk.services.dossier_exchange import read_exchange_file

    dossier, _shortlist = read_exchange_file(path)
    dossier.to_dict()  # what every export of the accepted dossier needs
    return dossier


def _pack_reader(path: Path):
    from achatsdesk.services.clause_packs import read_pack

    return read_pack(path)


def _supplier_reader(path: Path):
    from achatsdesk.catalogue.communes import CommuneIndex
    from achatsdesk.catalogue.formats import Provenance
    from achatsdesk.catalogue.reader import preview, read_records

    shown = preview(path)
    communes = CommuneIndex([("95127", "Cergy", "95", "95000|95800", 49.03, 2.06)])
    return read_records(path, shown.format_code, Provenance("fuzz", "2026-01-01"), communes,
                        default_kind="EI" if shown.format_code == "csv" else None)


EXCHANGE, PACK, CSV, XLSX = _exchange_file(), _pack(), _csv(), _xlsx()


def test_the_valid_files_are_read() -> None:
    # The mutations start from files each reader accepts: otherwise the fuzzing proves nothing.
    with tempfile.TemporaryDirectory() as folder:
        for name, data, read in ((".achatsdesk", EXCHANGE, _exchange_reader), (".achatsdesk-clauses", PACK, _pack_reader),
                                 (".csv", CSV, _supplier_reader), (".xlsx", XLSX, _supplier_reader)):
            path = Path(folder) / f"valid{name}"
            path.write_bytes(data)
            result = read(path)
            rows = list(result) if name in (".csv", ".xlsx") else [result]
            assert rows, name


@FUZZ
@given(mutated(EXCHANGE))
def test_fuzzed_exchange_files(data: bytes) -> None:
    _read_or_refuse(".achatsdesk", data, _exchange_reader)


@FUZZ
@given(mutated(PACK))
def test_fuzzed_clause_packs(data: bytes) -> None:
    _read_or_refuse(".achatsdesk-clauses", data, _pack_reader)


@FUZZ
@given(mutated(CSV))
def test_fuzzed_supplier_csv(data: bytes) -> None:
    _read_or_refuse(".csv", data, _supplier_reader)


@FUZZ
@given(mutated(XLSX))
def test_fuzzed_supplier_xlsx(data: bytes) -> None:
    _read_or_refuse(".xlsx", data, _supplier_reader)


def _rezip(original: bytes, member: str, content: bytes) -> bytes:
    """The archive with one member replaced: fuzzes what is inside, past the zip layer."""
    source = zipfile.ZipFile(io.BytesIO(original))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, content if info.filename == member else source.read(info.filename))
    return buffer.getvalue()


_DOSSIER_JSON = zipfile.ZipFile(io.BytesIO(EXCHANGE)).read("dossier.json")
_CLAUSE_JSON = zipfile.ZipFile(io.BytesIO(PACK)).read("clauses/perso-fuzz.json")


@FUZZ
@given(mutated(_DOSSIER_JSON))
def test_fuzzed_dossier_inside_an_exchange_file(content: bytes) -> None:
    _read_or_refuse(".achatsdesk", _rezip(EXCHANGE, "dossier.json", content), _exchange_reader)


@FUZZ
@given(mutated(_CLAUSE_JSON))
def test_fuzzed_clause_inside_a_pack(content: bytes) -> None:
    _read_or_refuse(".achatsdesk-clauses", _rezip(PACK, "clauses/perso-fuzz.json", content), _pack_reader)
