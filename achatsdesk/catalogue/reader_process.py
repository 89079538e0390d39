"""A large file read in another process while this one writes what was read.

Reading a supplier file (parsing, validation, communes: reader.read_records) and
writing its rows to SQLite took turns in one process under the GIL; the
machines the app runs on have at least two cores. For a large import the
reading, and the making of the records' stored values (records.values_and_sectors),
run in a child process started with the 'spawn' method (the same on Linux, Windows and
macOS; the bundle's entry points call multiprocessing.freeze_support). The
child sends batches of values through a pipe, with the rejected lines and
their reasons, and this process stages them as they come (sort keys, sectors
and the text index's columns are made here: the reading is the longer half).

The pipe holds a few batches (1 MB where the system allows it): a child ahead
of the writer waits on its send, so memory stays bounded whatever the file's
size. The child writes nothing
anywhere; closing the batches (a cancel, an error, the end) terminates it if
it still runs, and a child whose parent was killed ends on its next send (the
pipe is broken). A child that cannot start, or ends before its first message,
raises ReaderUnavailable: the importer then reads the file itself.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from achatsdesk.catalogue.communes import CommuneIndex
from achatsdesk.catalogue.formats import Provenance

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

# Lines per batch: a few hundred kilobytes pickled, small against the import's memory.
BATCH_LINES = 2000
PIPE_BYTES = 1 << 20


@dataclass
class ReadBatch:
    lines: int = 0  # rows read, rejected ones included (the report's rows_read)
    rejections: list[tuple[int, str]] = field(default_factory=list)  # (line, French reason)
    invalid_siret: int = 0  # kept and flagged
    values: list[tuple] = field(default_factory=list)  # records.values_and_sectors


class ReaderUnavailable(Exception):  # noqa: N818 - a fact the importer acts upon, not a failure
    """The child could not start, or ended before saying anything (a script without the
    `if __name__ == "__main__"` guard, which 'spawn' runs again in the child; a system refusing new
    processes): nothing was read, the file can be read in this process instead."""


@dataclass
class _Failed:
    error: BaseException


def read_in_child(path: Path, format_code: str, provenance: Provenance, communes: CommuneIndex, origin: str, *,
                  mapping: dict[str, str] | None = None, default_kind: str | None = None) -> Iterator[ReadBatch]:
    """The file's records as records.values_and_sectors (`origin` included), batch by batch; a reading
    error (InputFileError…) is raised here as it was raised in the child; ReaderUnavailable before
    the first batch when there is no child to read. Close the iterator when stopping early
    (contextlib.closing): that stops the child."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    _widen(receiver)
    inputs, to_child = context.Pipe(duplex=False)
    # The inputs (the communes weigh 2-3 MB pickled) go through a pipe of their own once the child
    # runs: sent with the process instead, a child dying while it starts (a guard-less script run
    # again) would leave start() writing them forever.
    child = context.Process(target=_read, name="achatsdesk-import-reader", daemon=True, args=(sender, inputs))
    try:
        try:
            child.start()
        finally:
            sender.close()  # the child holds the writing end: its exit is our end of file
            inputs.close()
        to_child.send((Path(path), format_code, provenance, communes, origin, mapping, default_kind))
    except Exception as exc:
        receiver.close()
        if child.is_alive():
            child.terminate()
        if _starting_ourselves():
            raise
        raise ReaderUnavailable(f"{type(exc).__name__}: {exc}") from exc
    finally:
        to_child.close()
    heard = False
    try:
        while True:
            try:
                message = receiver.recv()
            except EOFError:
                child.join()
                if not heard and not _starting_ourselves():
                    raise ReaderUnavailable(f"exit code {child.exitcode}") from None
                raise RuntimeError(f"La lecture du fichier s'est arrêtée (code {child.exitcode}).") from None
            heard = True
            if message is None:
                break
            if isinstance(message, _Failed):
                raise message.error
            yield message
        child.join()
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
            child.join()


def _starting_ourselves() -> bool:
    """True in a child of multiprocessing (while it starts too, what multiprocessing's own check
    reads): one running a guard-less script again must fail rather than read the file itself, or the
    file would be imported twice; the process that started it then reads it."""
    return multiprocessing.parent_process() is not None or getattr(multiprocessing.current_process(), "_inheriting", False)


def _widen(connection) -> None:
    """A pipe of 1 MB instead of 64 KB where the system allows it (Linux): a batch then goes in one
    write, and the child can read a few batches ahead instead of waking this process for every 64 KB
    (on a busy machine each wake-up waits for a time slice)."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if set_size is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(connection.fileno(), set_size, PIPE_BYTES)


def _read(sender, inputs) -> None:
    """The child: read_records, in batches, into the pipe; None at the end."""
    from achatsdesk.catalogue.reader import read_records
    from achatsdesk.catalogue.records import RowRejected, values_and_sectors

    try:
        path, format_code, provenance, communes, origin, mapping, default_kind = inputs.recv()
        inputs.close()
        batch, records = ReadBatch(), []
        for line, item in read_records(path, format_code, provenance, communes, mapping=mapping,
                                       default_kind=default_kind):
            batch.lines += 1
            if isinstance(item, RowRejected):
                batch.rejections.append((line, str(item)))
            else:
                if item.siret and not item.siret_valid:
                    batch.invalid_siret += 1
                records.append(item)
            if batch.lines >= BATCH_LINES:
                batch.values = values_and_sectors(records, origin)
                sender.send(batch)
                batch, records = ReadBatch(), []
        batch.values = values_and_sectors(records, origin)
        sender.send(batch)
        sender.send(None)
    except (BrokenPipeError, KeyboardInterrupt):
        return  # the importing process is gone or stopping: nothing to tell
    except BaseException as exc:  # noqa: BLE001 - handed over, raised in the importing process
        try:
            sender.send(_Failed(exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its text
            sender.send(_Failed(RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        sender.close()

