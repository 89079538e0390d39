from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest

from achatsdesk.documents import safe_output
from achatsdesk.documents.safe_output import TEMP_PREFIX, write_atomically
from achatsdesk.errors import OutputFileError

EARLIER = b"earlier version, must survive"


def _writer(content: bytes):
    return lambda temp: Path(temp).write_bytes(content)


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    target = tmp_path / "annexe.docx"
    target.write_bytes(EARLIER)
    return target


def test_writes_and_replaces(earlier: Path):
    assert write_atomically(earlier, _writer(b"new")) == earlier.absolute()
    assert earlier.read_bytes() == b"new"
    assert _leftovers(earlier.parent) == []


def test_a_failing_writer_leaves_the_earlier_file_and_no_temp(earlier: Path):
    def broken(temp: Path) -> None:
        Path(temp).write_bytes(b"half")
        raise RuntimeError("writer crashed")

    with pytest.raises(RuntimeError):
        write_atomically(earlier, broken)
    assert earlier.read_bytes() == EARLIER
    assert _leftovers(earlier.parent) == []


def test_locked_file_on_rename_gives_french_advice(earlier: Path, monkeypatch):
    def locked(src, dst):  # what Windows raises when Word holds the file
        raise PermissionError(13, "The process cannot access the file", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputFileError) as caught:
        write_atomically(earlier, _writer(b"new"))
    message = caught.value.user_message
    assert "ouvert dans un autre programme" in message and "Fermez-le" in message
    assert earlier.read_bytes() == EARLIER
    assert _leftovers(earlier.parent) == []


def test_file_open_elsewhere_is_detected_before_any_work(earlier: Path, monkeypatch):
    real_open = open
    calls = []

    def guarded_open(file, mode="r", *args, **kwargs):
        if Path(file) == earlier.absolute() and "+" in mode:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded_open)
    with pytest.raises(OutputFileError) as caught:
        write_atomically(earlier, lambda temp: calls.append(temp))
    assert "Fermez-le" in caught.value.user_message
    assert calls == []
    assert earlier.read_bytes() == EARLIER


def test_full_disk_gives_french_advice_and_no_partial_file(earlier: Path):
    def fills_disk(temp: Path) -> None:
        Path(temp).write_bytes(b"partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputFileError, match="disque est plein") as caught:
        write_atomically(earlier, fills_disk)
    assert "Libérez de la place" in caught.value.user_message
    assert earlier.read_bytes() == EARLIER
    assert _leftovers(earlier.parent) == []


def test_read_only_folder(tmp_path: Path, monkeypatch):
    folder = tmp_path / "lecture-seule"
    folder.mkdir()
    target = folder / "rapport.pdf"
    target.write_bytes(EARLIER)
    if os.geteuid() == 0:
        # root writes through chmod: simulate the refusal the OS gives a normal user.
        def refused(*args, **kwargs):
            raise PermissionError(13, "Permission denied", str(folder))

        monkeypatch.setattr(tempfile, "mkstemp", refused)
        monkeypatch.setattr(safe_output, "_check_not_locked", lambda target: None)
    else:
        target.chmod(stat.S_IRUSR)
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(OutputFileError) as caught:
            write_atomically(target, _writer(b"new"))
    finally:
        folder.chmod(stat.S_IRWXU)
        target.chmod(stat.S_IRUSR | stat.S_IWUSR)
    message = caught.value.user_message
    assert "lecture seule" in message or "protégé en écriture" in message
    assert "Choisissez un autre" in message
    assert target.read_bytes() == EARLIER
    assert _leftovers(folder) == []


def test_missing_folder_and_directory_target(tmp_path: Path):
    with pytest.raises(OutputFileError, match="n'existe pas"):
        write_atomically(tmp_path / "absent" / "x.pdf", _writer(b"x"))
    with pytest.raises(OutputFileError, match="est un dossier"):
        write_atomically(tmp_path, _writer(b"x"))


def test_written_document_has_ordinary_permissions(tmp_path) -> None:
    import os
    import stat

    from achatsdesk.documents.safe_output import write_atomically

    umask = os.umask(0o022)
    try:
        target = write_atomically(tmp_path / "annexe.docx", lambda p: p.write_bytes(b"ok"))
    finally:
        os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
