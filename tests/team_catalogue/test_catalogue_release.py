"""The organisation's catalogue travels from an administrator's workstation to a colleague's through
the team server (a real PostgreSQL server), as a versioned release loaded when the colleague connects.
The structures imported here are made up (tests/fixtures/catalogue/lemarche_export_MADEUP.csv)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from sqlalchemy import text

from achatsdesk.errors import AchatsdeskError
from achatsdesk.paths import AppPaths
from achatsdesk.services import catalogue
from achatsdesk.services.bootstrap import open_database
from achatsdesk.services.catalogue_publication import (
    CatalogueReleaseError,
    load_published_catalogue,
    publish_catalogue,
)
from tests.postgres_server import create_database, drop_database

MADE_UP = Path(__file__).resolve().parents[1] / "fixtures" / "catalogue" / "lemarche_export_MADEUP.csv"


@pytest.fixture
def server(postgres_url):
    url = create_database(postgres_url, "achatsdesk_release")
    yield url
    drop_database(postgres_url, url)


def workstation(tmp_path: Path, name: str) -> AppPaths:
    root = tmp_path / name
    return AppPaths(root / "data", root / "config", root / "logs", root / "backups").ensure()


def names_like(database, pattern: str) -> list[str]:
    with database.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT name FROM supplier WHERE name LIKE :p ORDER BY name"),
                                           {"p": pattern})]


def sectors_of(database, siret: str) -> list[str]:
    detail = catalogue.get_supplier(database, siret)
    return sorted((name, origin) for _id, name, origin in detail.sectors)


def test_imports_and_sector_corrections_reach_a_colleague_and_a_removal_follows(server, tmp_path):
    admin = open_database(workstation(tmp_path, "admin"), server=server)
    catalogue.import_file(admin, MADE_UP)
    imported = names_like(admin, "EXEMPLE INVENTÉ%")
    assert imported  # the made-up structures are in the admin's local catalogue
    jardins = catalogue.get_supplier(admin, "99900011000018")
    chosen = [s.id for s in catalogue.list_sectors(admin)[:2]]
    catalogue.set_supplier_sectors(admin, jardins.id, chosen)
    release = publish_catalogue(admin)
    assert release.version == 1 and release.suppliers == len(imported) and release.corrections == 1

    colleague = open_database(workstation(tmp_path, "colleague"), server=server)  # loads the release on opening
    assert names_like(colleague, "EXEMPLE INVENTÉ%") == imported
    assert sectors_of(colleague, "99900011000018") == sectors_of(admin, "99900011000018")
    assert load_published_catalogue(colleague) is None  # already at the newest release

    # The administrator drops one structure and publishes again: the colleague's copy follows.
    with admin.engine.begin() as conn:
        conn.execute(text("DELETE FROM supplier WHERE siret = '99900011000018'"))
    assert publish_catalogue(admin).version == 2
    loaded = load_published_catalogue(colleague)
    assert loaded is not None and loaded.version == 2 and loaded.removed == 1
    assert "EXEMPLE INVENTÉ Jardins Solidaires" not in names_like(colleague, "EXEMPLE INVENTÉ%")
    admin.dispose()
    colleague.dispose()


def test_a_release_with_an_unknown_key_is_refused_and_changes_nothing(server, tmp_path):
    admin = open_database(workstation(tmp_path, "admin"), server=server)
    catalogue.import_file(admin, MADE_UP)
    publish_catalogue(admin)
    colleague = open_database(workstation(tmp_path, "colleague"), server=server)
    before = names_like(colleague, "%")
    broken = gzip.compress(b'{"structure": {"name": "X", "kind": "EI", "source": "s", "source_date": "2026-01",'
                           b' "couleur": "bleu"}}')
    with admin.shared_engine.begin() as conn:
        conn.execute(text("INSERT INTO catalogue_release (version, published_at, published_by, suppliers, corrections,"
                          " payload) VALUES (2, localtimestamp(0), 'test', 1, 0, :p)"), {"p": broken})
    with pytest.raises(CatalogueReleaseError, match="clé inconnue « couleur » à la ligne 1"):
        load_published_catalogue(colleague)
    assert names_like(colleague, "%") == before
    admin.dispose()
    colleague.dispose()


def test_alone_there_is_nothing_to_publish_to(database):
    assert not database.is_team  # tests/team_catalogue runs on the local file alone
    with pytest.raises(AchatsdeskError, match="serveur de l'équipe"):
        publish_catalogue(database)
    assert load_published_catalogue(database) is None
