"""The stored version of a dossier at a revision, remembered in memory after a read or a save.

A save needs the version it replaces: the checklist answers that changed are checked, a change of
content reopens a validated dossier, and only the children that changed are rewritten. Reading it
back costs six queries, each a round trip to the team server, on every autosave. But a revision,
once committed, never changes: every write of a dossier's content or status claims a new revision
(``dossiers_repo.replace_content`` and ``touch``, the award's status change). So the version read
or saved at revision R of a dossier is the stored version for as long as R is the stored revision,
and a save from R can start from the remembered copy. Whether R still is the stored revision is
still asked of the database, by the guarded UPDATE that claims R + 1: a colleague's save in between
is refused exactly as before.

The copies are deep copies (callers go on editing the object they read or saved) and carry the
dossier's uid, so that a number reused by SQLite after a deletion never matches another dossier.
A few dozen dossiers per open database are kept, the most recently used.
"""

from __future__ import annotations

import copy
import threading
import weakref
from collections import OrderedDict

from achatsdesk.domain.dossier import Dossier
from achatsdesk.storage.database import Database

_KEPT = 64

_lock = threading.Lock()
_by_database: weakref.WeakKeyDictionary[Database, OrderedDict[tuple[int, int], Dossier]] = weakref.WeakKeyDictionary()


def remember(database: Database, dossier_id: int, revision: int, dossier: Dossier) -> None:
    """``dossier`` is what the database holds for ``dossier_id`` at ``revision`` (just read or committed)."""
    if not dossier.uid:
        return
    kept = copy.deepcopy(dossier)
    with _lock:
        versions = _by_database.setdefault(database, OrderedDict())
        versions[(dossier_id, revision)] = kept
        versions.move_to_end((dossier_id, revision))
        while len(versions) > _KEPT:
            versions.popitem(last=False)


def recall(database: Database, dossier_id: int, revision: int, uid: str) -> Dossier | None:
    """The version remembered for ``dossier_id`` at ``revision`` if it is the same dossier (``uid``);
    the caller must not change it."""
    with _lock:
        versions = _by_database.get(database)
        kept = versions.get((dossier_id, revision)) if versions is not None else None
        if kept is None or not uid or kept.uid != uid:
            return None
        versions.move_to_end((dossier_id, revision))
        return kept


def forget(database: Database, dossier_id: int) -> None:
    """Every version of ``dossier_id`` (the dossier is deleted)."""
    with _lock:
        versions = _by_database.get(database)
        if versions is not None:
            for key in [key for key in versions if key[0] == dossier_id]:
                del versions[key]
