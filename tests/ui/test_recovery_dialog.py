"""The window's one-click restore of the pre-upgrade backup for a half-upgraded database."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from achatsdesk.errors import HalfMigratedError, MigrationError
from achatsdesk.storage import migrate


def _click_when_shown(text: str) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        for button in box.buttons():
            if button.text() == text:
                button.click()
                return
        box.reject()

    # Queued before the box opens, so that it answers before the conftest guard closes an unanswered box.
    QTimer.singleShot(0, click)


def test_the_restore_button_puts_back_the_copy_made_before_the_upgrade(qtbot, paths, monkeypatch) -> None:
    from achatsdesk.ui.dialogs.recovery import RESTORE_BUTTON, offer_restore

    migrate.upgrade_to_head(paths.database, target="0004_clauses")
    migrate.backup_database(paths.database, paths.backups)
    conn = sqlite3.connect(paths.database)
    conn.execute("ALTER TABLE dossier ADD COLUMN insertion_json TEXT")  # half-upgraded by hand
    conn.commit()
    conn.close()
    with pytest.raises(HalfMigratedError) as raised:
        migrate.ensure_schema(paths.database, paths.backups)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))

    _click_when_shown(RESTORE_BUTTON)
    assert offer_restore(None, raised.value, paths)

    assert "restaurée" in told[0] and "Relancez achatsdesk" in told[0]
    assert migrate.ensure_schema(paths.database, paths.backups).current == migrate.head_revision()
    assert list(paths.backups.glob("achatsdesk-remplacee-*.sqlite3"))


def test_a_damaged_database_can_be_salvaged_from_the_window(qtbot, paths, database, monkeypatch) -> None:
    from achatsdesk.errors import DamagedDatabaseError
    from achatsdesk.services.bootstrap import open_database
    from achatsdesk.ui.dialogs.recovery import SALVAGE_BUTTON, offer_restore
    from tests.storage.test_damage_and_backups import _fill, damage_a_leaf_page

    database.dispose()
    _fill(paths.database)
    damage_a_leaf_page(paths.database)
    with pytest.raises(DamagedDatabaseError) as raised:
        open_database(paths)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))

    _click_when_shown(SALVAGE_BUTTON)
    assert offer_restore(None, raised.value, paths)

    assert "lignes reprises" in told[0]
    open_database(paths).dispose()


def test_the_application_start_stops_on_a_damaged_database_in_french(paths, database) -> None:
    from tests.storage.test_damage_and_backups import _fill, damage_a_leaf_page
    from tests.ui.test_quick_start_window import _self_check

    database.dispose()
    _fill(paths.database)
    damage_a_leaf_page(paths.database)

    result = _self_check("--until-ready")  # the quick check runs on the opening worker, after the first paint

    assert result.returncode == 1
    assert "endommagée" in result.stderr and "Récupérer ce qui est lisible" in result.stderr


def test_closing_the_window_makes_todays_backup_once(paths, database) -> None:
    from achatsdesk.app import _daily_backup
    from achatsdesk.services.bootstrap import DatabaseOpener
    from achatsdesk.storage.backups import list_backups
    from achatsdesk.ui.settings import Settings

    database.dispose()
    opener = DatabaseOpener(paths)
    opener.result().dispose()  # the database opened (and passed its check) this session
    settings = Settings(paths.config)

    _daily_backup(paths, opener, settings)
    _daily_backup(paths, opener, settings)

    made = [b for b in list_backups(paths.backups, "achatsdesk") if b.kind == "quotidienne"]
    assert len(made) == 1

    made[0].path.unlink()
    paths.database.write_bytes(b"")  # refused at open: a zero-length file
    failed = DatabaseOpener(paths)
    with pytest.raises(MigrationError):
        failed.result()
    _daily_backup(paths, failed, settings)  # a base that did not open is not copied as a backup
    assert not list(paths.backups.glob("*-quotidienne-*"))
