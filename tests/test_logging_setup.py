"""The window's journal: a plain file handler until the first paint, the rotating one after (logging_setup.py)."""

from __future__ import annotations

import logging
import logging.handlers

import pytest

from achatsdesk import logging_setup
from achatsdesk.logging_setup import LOG_FILE_NAME, MAX_BYTES, rotate_from_now, setup_logging


@pytest.fixture
def journal_handlers():
    """The root logger without another test's journal; whatever this test installs is removed after."""
    root = logging.getLogger()
    earlier = [h for h in root.handlers if getattr(h, "_achatsdesk", False)]
    for handler in earlier:
        root.removeHandler(handler)
    yield lambda: [h for h in root.handlers if getattr(h, "_achatsdesk", False)]
    for handler in [h for h in root.handlers if getattr(h, "_achatsdesk", False)]:
        root.removeHandler(handler)
        handler.close()
    for handler in earlier:
        root.addHandler(handler)


def test_the_start_up_lines_and_the_later_ones_go_to_the_same_journal(tmp_path, journal_handlers) -> None:
    log_file = setup_logging(tmp_path, rotate_later=True)
    assert [type(h) for h in journal_handlers()] == [logging.FileHandler]
    logging.getLogger("achatsdesk.test").warning("avant la première peinture")
    rotate_from_now()
    rotate_from_now()  # once only
    assert [type(h) for h in journal_handlers()] == [logging.handlers.RotatingFileHandler]
    logging.getLogger("achatsdesk.test").warning("après la première peinture")
    text = log_file.read_text(encoding="utf-8")
    assert text.index("avant la première peinture") < text.index("après la première peinture")
    assert text.count("avant la première peinture") == 1


def test_a_journal_at_its_limit_rotates_at_start(tmp_path, journal_handlers) -> None:
    (tmp_path / LOG_FILE_NAME).write_text("x" * (MAX_BYTES - 10), encoding="utf-8")
    log_file = setup_logging(tmp_path, rotate_later=True)
    assert [type(h) for h in journal_handlers()] == [logging.handlers.RotatingFileHandler]
    logging.getLogger("achatsdesk.test").warning("une ligne de trop pour ce fichier")
    assert (tmp_path / f"{LOG_FILE_NAME}.1").stat().st_size == MAX_BYTES - 10
    assert "une ligne de trop" in log_file.read_text(encoding="utf-8")


def test_without_rotate_later_the_journal_rotates_from_the_start(tmp_path, journal_handlers, monkeypatch) -> None:
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 200)
    setup_logging(tmp_path)
    for i in range(10):
        logging.getLogger("achatsdesk.test").warning("ligne %d du journal, assez longue pour le remplir", i)
    assert (tmp_path / f"{LOG_FILE_NAME}.1").exists()
