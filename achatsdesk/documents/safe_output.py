"""Write a document so that a failure never leaves a half-written or damaged file.

The writer fills a temporary file in the destination folder (same disk, so
the final rename is atomic), then ``os.replace`` puts it in place. Until that
instant the earlier file, if any, is untouched; on any failure the temporary
file is removed. OS errors become an ``OutputFileError`` in French that says
what to do: the file is open in Word, the folder is read-only, the disk is full.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from achatsdesk.errors import OutputFileError

TEMP_PREFIX = ".~achatsdesk-"


def write_atomically(destination: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(temp_path)`` then move the result onto ``destination``; returns it."""
    target = Path(destination).expanduser().absolute()
    folder = target.parent
    if not folder.is_dir():
        raise OutputFileError(
            f"Le dossier « {folder} » n'existe pas.",
            hint="Choisissez un dossier existant pour enregistrer le document.",
        )
    if target.is_dir():
        raise OutputFileError(
            f"« {target.name} » est un dossier, pas un fichier.",
            hint="Indiquez un nom de fichier pour le document.",
        )
    _check_not_locked(target)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix + ".tmp", dir=folder)
    except OSError as exc:
        raise _translate(exc, target, stage="folder") from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        # mkstemp makes a private (0600) file; a document is shared like any other file.
        os.chmod(temp, _default_file_mode())
        os.replace(temp, target)
    except OSError as exc:
        _remove_quietly(temp)
        raise _translate(exc, target, stage="replace") from exc
    except BaseException:
        _remove_quietly(temp)
        raise
    return target


def _default_file_mode() -> int:
    """0666 less the process umask, as a plain open() would create the file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _check_not_locked(target: Path) -> None:
    """Fail before the work when the existing file cannot be replaced (open in Word, read-only)."""
    if not target.exists():
        return
    try:
        with open(target, "r+b"):
            pass
    except OSError as exc:
        raise _translate(exc, target, stage="replace") from exc


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _translate(exc: OSError, target: Path, *, stage: str) -> OutputFileError:
    name, folder = target.name, target.parent
    detail = f"{type(exc).__name__}: {exc}"
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
        return OutputFileError(
            f"Le disque est plein : « {name} » n'a pas été enregistré.",
            hint="Libérez de la place ou choisissez un autre emplacement, puis réessayez. "
            "Le fichier précédent, s'il existait, est intact.",
            detail=detail,
        )
    if exc.errno == errno.EROFS or (isinstance(exc, PermissionError) and stage == "folder"):
        return OutputFileError(
            f"Impossible d'enregistrer dans le dossier « {folder} » : il est en lecture seule "
            "ou vous n'avez pas le droit d'y écrire.",
            hint="Choisissez un autre dossier (par exemple Documents), puis réessayez.",
            detail=detail,
        )
    if isinstance(exc, PermissionError):
        return OutputFileError(
            f"Le fichier « {name} » est ouvert dans un autre programme ou protégé en écriture.",
            hint="Fermez-le (par exemple dans Word) puis réessayez, ou choisissez un autre nom. "
            "Le fichier existant n'a pas été modifié.",
            detail=detail,
        )
    return OutputFileError(
        f"Le document « {name} » n'a pas pu être enregistré dans « {folder} ».",
        hint="Vérifiez l'emplacement (clé USB retirée, dossier réseau indisponible ?) puis réessayez. "
        "Le fichier précédent, s'il existait, est intact.",
        detail=detail,
    )
