"""Python's cyclic garbage collector held off while the core builds many short-lived objects.

The indicators build tens of thousands of small objects per call (dossiers, lots,
clause selections, decimals) and a large import's last step millions (the map index's
entries, rows read back): none holds a reference cycle, and reference counting frees
them as soon as they are dropped. Each time enough of them survive a moment, the cyclic
collector also walks every object of the process (SQLAlchemy's, the models', Qt's
wrappers): at 2 000 dossiers that walk made one call in four take 60-100 ms instead
of 30-40 (bench/dossiers.py). Pausing it for the call costs nothing the collector
would have found. Here, not in a layer, so that every layer of the core may use it.

Process-wide, as gc.disable() is: nested or concurrent pauses keep it off until the
last one ends, and it comes back only if it was on before the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def collection_paused() -> Iterator[None]:
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
