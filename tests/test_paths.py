from __future__ import annotations

from pathlib import Path

from achatsdesk.paths import app_paths, resources_dir


def test_achatsdesk_home_puts_every_folder_under_it(achatsdesk_home: Path) -> None:
    paths = app_paths().ensure()
    for folder in (paths.data, paths.config, paths.logs, paths.backups):
        assert folder.is_dir()
        assert achatsdesk_home.resolve() in folder.parents
    assert paths.database.parent == paths.data


def test_resources_are_found() -> None:
    assert (resources_dir() / "data" / "ATTRIBUTION.md").exists()
