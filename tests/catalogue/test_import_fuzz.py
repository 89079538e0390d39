"""Whatever bytes a user hands the importer, they get a report or a French InputFileError."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from achatsdesk.catalogue.communes import CommuneIndex
from achatsdesk.catalogue.importer import import_file
from achatsdesk.catalogue.sectors import NafSectorMap
from achatsdesk.errors import InputFileError

HEADERS = ["MESURE", "SIRET", "DENOMINATION_SOCIALE", "CODE_POSTAL", "COMMUNE", "raison sociale", "type", "GEIQ", ""]
cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
rows = st.lists(st.lists(cells, min_size=0, max_size=6), max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    body=rows,
    separator=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    raw=st.binary(max_size=200),
    use_raw=st.booleans(),
)
def test_any_file_gives_a_report_or_a_french_error(database, header, body, separator, encoding, raw, use_raw):
    with database.engine.connect() as conn:
        communes = CommuneIndex.from_connection(conn)
        naf_map = NafSectorMap.load()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "liste.csv"
            if use_raw:
                path.write_bytes(raw)
            else:
                text = "\n".join(separator.join(r) for r in [header, *body]) + "\n"
                path.write_bytes(text.encode(encoding, errors="replace"))
            try:
                report = import_file(conn, path, "auto", communes=communes, naf_map=naf_map, default_kind=None)
            except InputFileError as exc:
                assert exc.user_message and exc.hint  # French, says what to do
            else:
                assert report.rows_read == report.added + report.updated + report.unchanged + report.rejected
            finally:
                conn.rollback()  # each example starts from the same catalogue
