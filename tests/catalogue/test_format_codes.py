"""The format codes a user may name are the catalogue's, in one place."""

from __future__ import annotations

from achatsdesk.catalogue.format_codes import PUBLIC_FORMATS
from achatsdesk.catalogue.formats import FORMATS


def test_every_public_code_names_a_reader() -> None:
    assert all(code in FORMATS or code in ("auto", "csv") for code in PUBLIC_FORMATS)
    # every reader is reachable: its own code, or "lemarche" for the search export of the same site
    assert {code for code in FORMATS if code not in PUBLIC_FORMATS} == {"lemarche-export"}


def test_the_command_line_offers_exactly_those_codes(capsys) -> None:
    import argparse

    import pytest

    from achatsdesk.cli import suppliers

    parser = argparse.ArgumentParser()
    suppliers.register(parser.add_subparsers())
    for code in PUBLIC_FORMATS:
        assert parser.parse_args(["suppliers", "import", "liste.csv", "--format", code]).format == code
    with pytest.raises(SystemExit):
        parser.parse_args(["suppliers", "import", "liste.csv", "--format", "lemarche-export"])
    assert ", ".join(f"'{code}'" for code in PUBLIC_FORMATS) in capsys.readouterr().err
