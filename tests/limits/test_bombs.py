"""Every bomb of issue 13 is refused within 2 s and 300 MB (measured with ``resource`` in a
fresh process), with a French message, and the database is left as it was."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.limits.measure import run_measured

_OPEN = """
import os
from pathlib import Path
from achatsdesk.paths import app_paths
from achatsdesk.services.bootstrap import open_database
paths = app_paths().ensure()
database = open_database(paths)
before = state(database)
bomb = Path(os.environ["BOMB"])
"""


def _guarded(call: str) -> str:
    return _OPEN + f"""
begin()
try:
    {call}
finally:
    assert state(database) == before, "the database changed"
"""


@pytest.fixture
def home(paths, _template_database):
    shutil.copyfile(_template_database, paths.database)
    return paths


def _measure(home, bomb: Path, imports: str, call: str):
    body = imports + "\n" + _guarded(call)
    return run_measured(body, env={"BOMB": str(bomb)})


# --- clause packs -------------------------------------------------------------------------

TEXT = {"name": "texte", "label": "Texte", "type": "text", "default": "x" * 4000, "required": False}
_UNIT = "{% for c in texte %}{% if texte|replace('x','y')|replace('y','x')|upper|lower == 'q' %}{% endif %}{% endfor %}"
CPU_BOMB = _UNIT * (19_600 // len(_UNIT))  # 19.6 kB: 71 s of CPU at import before the render budget
JOIN_BOMB = "{{ texte|join(texte)|join(texte)|join(texte) }}"  # 47 bytes: a gigabyte before the output cap


def _pack(folder: Path, body: str, variables: list | None = None) -> Path:
    clause = {
        "id": "perso-bombe", "title": "Essai", "family": "condition-sociale", "kind": "condition-execution",
        "document": "CCAP", "legal_basis": "L2112-2", "applies_from": "2019-04-01", "version": "1.0",
        "body": body, "variables": [TEXT] if variables is None else variables,
    }
    path = folder / "bombe.achatsdesk-clauses"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(
            {"format": "achatsdesk-clauses", "version": 1, "clauses": ["clauses/perso-bombe.json"]}))
        archive.writestr("clauses/perso-bombe.json", json.dumps(clause))
    return path


@pytest.mark.parametrize("body", [CPU_BOMB, JOIN_BOMB], ids=["cpu-loop-bomb", "join-bomb"])
def test_a_clause_bomb_in_a_pack_is_refused_in_budget(home, tmp_path, body) -> None:
    bomb = _pack(tmp_path, body)
    measured = _measure(home, bomb, "from achatsdesk.services.clause_packs import import_pack",
                        "import_pack(database, bomb)")
    measured.assert_refused_in_budget("perso-bombe", "refusé")


@pytest.mark.parametrize("variables", [5, [{"name": "n", "label": "N", "type": "integer", "min": "NaN"}]],
                         ids=["variables-not-a-list", "min-not-a-number"])
def test_wrong_types_in_a_pack_name_the_field(home, tmp_path, variables) -> None:
    bomb = _pack(tmp_path, "Texte {{ n }}", variables)
    measured = _measure(home, bomb, "from achatsdesk.services.clause_packs import import_pack",
                        "import_pack(database, bomb)")
    measured.assert_refused_in_budget("refusé")
    assert "variable" in measured.message or "min" in measured.message, measured.message


# --- supplier files -----------------------------------------------------------------------

def _deflated_member(archive: zipfile.ZipFile, name: str, head: bytes, filler: bytes, repeat: int, tail: bytes) -> None:
    """A member whose inflated size is huge, written without holding it in memory."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as stream:
        stream.write(head)
        for _ in range(repeat):
            stream.write(filler)
        stream.write(tail)


def _xlsx_skeleton(archive: zipfile.ZipFile) -> None:
    archive.writestr("[Content_Types].xml", (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '</Types>'))
    archive.writestr("_rels/.rels", (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>'))
    archive.writestr("xl/workbook.xml", (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="F" sheetId="1" r:id="rId1"/></sheets></workbook>'))
    archive.writestr("xl/_rels/workbook.xml.rels", (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '</Relationships>'))


def _huge_cell_xlsx(folder: Path) -> Path:
    path = folder / "cellule-geante.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        _xlsx_skeleton(archive)
        head = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>')
        _deflated_member(archive, "xl/worksheets/sheet1.xml", head, b"x" * (1 << 20), 400,
                         b"</t></is></c></row></sheetData></worksheet>")
    return path


def _many_rows_xlsx(folder: Path) -> Path:
    path = folder / "lignes.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        _xlsx_skeleton(archive)
        head = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>")
        row = b'<row><c t="inlineStr"><is><t>EXEMPLE INVENT\xc3\x89</t></is></c><c t="inlineStr"><is><t>EI</t></is></c></row>'
        _deflated_member(archive, "xl/worksheets/sheet1.xml", head, row * 10_000, 300, b"</sheetData></worksheet>")
    return path


def _sparse_csv(folder: Path) -> Path:
    path = folder / "creux.csv"
    with path.open("wb") as handle:
        handle.write(b"Raison sociale;Siret;Type de structure;Ville;Code Postal\n")
        handle.truncate(2 * 1024**3)  # 2 GB, almost all of it a hole of zeros
    return path


@pytest.mark.parametrize("build", [_huge_cell_xlsx, _many_rows_xlsx, _sparse_csv],
                         ids=["xlsx-one-huge-cell", "xlsx-of-rows", "sparse-2gb-csv"])
def test_a_supplier_file_bomb_is_refused_in_budget(home, tmp_path, build) -> None:
    bomb = build(tmp_path)
    assert bomb.stat().st_size < 5 * 1024 * 1024 or bomb.suffix == ".csv"
    measured = _measure(home, bomb, "from achatsdesk.services.catalogue import import_file",
                        "import_file(database, bomb)")
    measured.assert_refused_in_budget("refusé")


# --- exchange files -----------------------------------------------------------------------

def _exchange(folder: Path, dossier_json: bytes, name: str = "bombe.achatsdesk") -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("manifest.json", json.dumps({"format": "achatsdesk-dossier", "schema_version": 1}))
        archive.writestr("dossier.json", dossier_json)
    return path


def _dossier(**fields) -> bytes:
    return json.dumps({"dossier": {"title": "Dossier fictif", "nature": "services", **fields}}).encode()


EXCHANGE_BOMBS = {
    # 4.6 kB: refused from the zip directory, before inflating (1 000 times its size).
    "a-million-lots": (lambda: b'{"dossier": {"title": "Dossier fictif", "lots": [' + b",".join([b"{}"] * 1_000_000)
                       + b"]}}", "décompresse"),
    "a-thousand-lots": (lambda: _dossier(lots=[{"title": f"Lot fictif {i}", "amount_eur": i} for i in range(1000)]),
                        "au plus 500"),
    "json-100000-deep": (lambda: b'{"dossier": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "profondément"),
    "amount-1e18": (lambda: _dossier(estimated_amount_eur=1e18), "estimated_amount_eur"),
    "duration-1e400": (lambda: _dossier(duration_months=1e400).replace(b"Infinity", b"1e400"), "duration_months"),
    "clause-lot-abc": (lambda: _dossier(clauses=[{"clause_id": "x", "lot": "abc"}]), "clauses[1].lot"),
    "title-5-mb": (lambda: _dossier(title=os.urandom(2_500_000).hex()), "title"),
    "dict-in-a-field": (lambda: _dossier(reference={"a": 1}), "reference"),
}


@pytest.mark.parametrize("name", sorted(EXCHANGE_BOMBS))
def test_an_exchange_file_bomb_is_refused_in_budget(home, tmp_path, name) -> None:
    build, field = EXCHANGE_BOMBS[name]
    bomb = _exchange(tmp_path, build())
    measured = _measure(home, bomb, "from achatsdesk.services.dossier_exchange import import_dossier",
                        "import_dossier(database, bomb)")
    measured.assert_refused_in_budget("ne peut pas être importé", field)
    assert "base de données" not in measured.message  # the file is blamed, not the database


def test_an_exchange_file_inflating_past_its_limit_is_refused_from_its_directory(home, tmp_path) -> None:
    bomb = tmp_path / "gonfle.achatsdesk"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("manifest.json", json.dumps({"format": "achatsdesk-dossier", "schema_version": 1}))
        _deflated_member(archive, "dossier.json", b'{"dossier": {"title": "', b" " * (1 << 20), 1024, b'"}}')
    assert bomb.stat().st_size < 3 * 1024 * 1024
    measured = _measure(home, bomb, "from achatsdesk.services.dossier_exchange import import_dossier",
                        "import_dossier(database, bomb)")
    measured.assert_refused_in_budget("ne peut pas être importé")


# --- the organisation's Word template -----------------------------------------------------

def test_a_word_template_bomb_is_refused_in_budget(home, tmp_path) -> None:
    bomb = tmp_path / "modele.dotx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        _deflated_member(archive, "word/styles.xml", b'<?xml version="1.0"?><w:styles>', b" " * (1 << 20), 1024,
                         b"</w:styles>")
    assert bomb.stat().st_size < 2 * 1024 * 1024
    imports = """
from achatsdesk.domain.dossier import Dossier
from achatsdesk.services.dossiers import create_dossier
from achatsdesk.services.exports import export_annex
"""
    body = imports + _OPEN + """
dossier_id = create_dossier(database, Dossier(title="Dossier fictif"))
out = bomb.with_name("annexe.docx")
begin()
try:
    export_annex(dossier_id, out, database=database, template=bomb)
finally:
    assert not out.exists(), "an annex was written"
"""
    measured = run_measured(body, env={"BOMB": str(bomb)})
    measured.assert_refused_in_budget("modele.dotx", "refusé")
