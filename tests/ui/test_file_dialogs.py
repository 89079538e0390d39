"""Every file dialog starts in the last folder used, else Documents, else the home folder."""

from __future__ import annotations

from pathlib import Path

from achatsdesk.ui.settings import Settings
from achatsdesk.ui.widgets import file_dialogs


def test_the_last_folder_then_documents_then_home(tmp_path: Path, monkeypatch, paths) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    settings = Settings(paths.config)
    assert file_dialogs.start_folder(settings) == home  # no Documents folder
    (home / "Documents").mkdir()
    assert file_dialogs.start_folder(settings) == home / "Documents"
    chosen = tmp_path / "marchés 2027" / "annexe.docx"
    chosen.parent.mkdir()
    file_dialogs.remember_folder(settings, chosen)
    assert settings.get(Settings.last_folder) == str(chosen.parent)
    assert file_dialogs.start_folder(settings) == chosen.parent
    chosen.parent.rmdir()  # the folder was moved away since
    assert file_dialogs.start_folder(settings) == home / "Documents"


def test_the_file_type_is_added_when_left_out() -> None:
    assert file_dialogs.with_suffix("/x/liste", ".xlsx") == Path("/x/liste.xlsx")
    assert file_dialogs.with_suffix("/x/liste.XLSX", ".xlsx") == Path("/x/liste.XLSX")
    assert file_dialogs.with_suffix("/x/v1.2", ".pdf") == Path("/x/v1.2.pdf")
