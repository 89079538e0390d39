"""Run a piece of hostile input handling in a fresh process and measure it with ``resource``.

A bomb is refused when the child ends within the time and memory budget (2 s
of CPU from the start of the hostile call, 300 MB peak resident memory of the child,
setup included) and says so in French; the child prints one JSON line with its
figures and the message it got.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass

MAX_SECONDS = 2.0
MAX_MEGABYTES = 300

_PRELUDE = '''
import json, resource, sqlite3, sys, time
clock = {{"started": time.process_time()}}
message = None


# A bomb that escaped must not take the shared machine down with it: 2 GB of address space at most.
resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


def peak_resident_mb():
    """This process's peak resident memory. ru_maxrss survives exec on Linux (it would report the
    pytest parent's own peak), so the kernel's per-process high-water mark is read when it exists."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def begin():
    """Setup done (database opened, modules imported): the bomb is measured from here."""
    clock["started"] = time.process_time()


def state(database):
    """What a refused import must leave as it was."""
    conn = sqlite3.connect(database.path)
    try:
        return [conn.execute(f"SELECT count(*) FROM {{t}}").fetchone()[0]
                for t in ("dossier", "user_clause", "supplier")]
    finally:
        conn.close()


try:
{body}
except AssertionError as exc:
    message = "UNEXPECTED assertion in the child: " + str(exc)
except Exception as exc:  # the French message of an AchatsdeskError, or the repr of anything else
    message = getattr(exc, "user_message", None) or ("UNEXPECTED " + repr(exc)[:300])
elapsed = time.process_time() - clock["started"]  # CPU time: the shared machine's load does not count
peak_mb = peak_resident_mb()
print(json.dumps({{"seconds": elapsed, "peak_mb": peak_mb, "message": message}}))
'''


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: float
    message: str | None

    def assert_refused_in_budget(self, *words: str) -> None:
        assert self.message is not None, "the hostile input was accepted"
        assert not self.message.startswith("UNEXPECTED"), self.message
        for word in words:
            assert word in self.message, self.message
        assert self.seconds < MAX_SECONDS, f"{self.seconds:.2f} s: {self.message}"
        assert self.peak_mb < MAX_MEGABYTES, f"{self.peak_mb:.0f} MB: {self.message}"


def run_measured(body: str, *, env: dict[str, str] | None = None, timeout: float = 60) -> Measured:
    """``body`` (indented code) runs in a child; it should raise the refusal."""
    script = _PRELUDE.format(body=textwrap.indent(textwrap.dedent(body), "    "))
    environment = {**os.environ, "PYTHONPATH": os.getcwd(), **(env or {})}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout,
                          env=environment)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return Measured(figures["seconds"], figures["peak_mb"], figures["message"])
