"""One writer at a time for an index, and a clear word about who holds it.

The lock is a file beside the index directory (``<index>.lock``), so it stays
put while a rebuilt index is swapped in.  It is held with ``flock``: the
operating system releases it when every descriptor of it is closed, even by
``kill -9``.  The holder writes its process id, host and start time into the
file for the message the next writer shows.

A child process forked by the holder inherits its descriptor, and with it
the lock: children close their copy at once (``os.register_at_fork``), so the
lock lives exactly as long as the process that took it.  A lock still held
although the process named in it is gone from this host (a child of an older
version, or of another program, kept it) is stale: the next writer takes it
over, says so, and the old holder's leftovers keep only a lock on a file
that is no longer the index's.
"""
import json
import os
import socket
import time
from datetime import datetime, timezone

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


class IndexLocked(Exception):
    """Another process is writing to the index; ``holder`` says who, if known."""

    def __init__(self, index_dir, holder=None):
        self.index_dir = index_dir
        self.holder = holder or {}
        super().__init__(self.describe())

    def describe(self):
        h = self.holder
        if not h.get("pid"):
            return "another akhbar process is writing to %s" % self.index_dir
        return "another akhbar process is writing to %s: pid %s on %s, started %s" % (
            self.index_dir, h.get("pid"), h.get("host", "?"), h.get("started", "?"))


def takeover_path(index_dir):
    """The file that serialises takeovers of a stale lock, beside the lock."""
    return lock_path(index_dir) + ".takeover"


STALE_RECHECK_SECONDS = 0.2

# Descriptors of the locks this process holds, closed in every forked child.
_HELD = set()


def _close_in_child():
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_in_child)


def lock_path(index_dir):
    """The lock file of an index: beside it, so it survives the index being swapped."""
    return os.path.normpath(os.path.abspath(index_dir)) + ".lock"


def read_holder(index_dir):
    """What the current (or last) holder of the lock wrote about itself."""
    try:
        with open(lock_path(index_dir), encoding="utf-8") as f:
            return json.loads(f.read() or "{}")
    except (OSError, ValueError):
        return {}


def _gone(holder):
    """True when ``holder`` names a process of this host that no longer runs."""
    pid = holder.get("pid")
    if not isinstance(pid, int) or pid <= 0 or holder.get("host") != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False     # it exists, owned by someone else
    return False


def _try_flock(fd):
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _same_file(fd, path):
    """Whether ``fd`` is still the file at ``path`` (a takeover replaces it)."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


class IndexLock:
    """Exclusive writing rights on an index, waiting up to ``wait`` seconds.

    ``took_over`` is what the stale holder had written about itself when the
    lock was taken over from it, else None.
    """

    def __init__(self, index_dir, wait=5.0):
        self.index_dir = index_dir
        self.wait = wait
        self.took_over = None
        self._fd = None

    def acquire(self):
        """Take the lock, waiting up to ``wait`` seconds; raises IndexLocked."""
        path = lock_path(self.index_dir)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        deadline = time.monotonic() + self.wait
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            if _try_flock(fd) and _same_file(fd, path):
                break
            os.close(fd)
            holder = read_holder(self.index_dir)
            if _gone(holder):
                fd = self._take_over(path, holder)
                if fd is not None:
                    break
            if time.monotonic() >= deadline:
                raise IndexLocked(self.index_dir, read_holder(self.index_dir))
            time.sleep(0.1)
        _write_holder(fd)
        self._fd = fd
        _HELD.add(fd)
        return self

    def _take_over(self, path, holder):
        """A fresh lock file, locked, put in place of a stale one; None if someone was quicker.

        Takeovers are serialised by a second lock file, and each re-checks
        under it, so two writers never both take the same stale lock.
        """
        guard = os.open(takeover_path(self.index_dir), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                fcntl.flock(guard, fcntl.LOCK_EX)
            # A writer that has just taken the lock from a crashed one writes
            # its own name a moment later: look again before calling it stale.
            time.sleep(STALE_RECHECK_SECONDS)
            if read_holder(self.index_dir) != holder:
                return None          # the lock changed hands meanwhile
            fresh = path + ".%d" % os.getpid()
            fd = os.open(fresh, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
            _try_flock(fd)           # a new file: nobody else can hold it
            os.replace(fresh, path)
            self.took_over = holder
            return fd
        finally:
            os.close(guard)

    def release(self):
        """Give the lock up."""
        if self._fd is not None:
            _HELD.discard(self._fd)
            try:
                os.ftruncate(self._fd, 0)
            finally:
                os.close(self._fd)     # closing the descriptor drops the flock
                self._fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


def _write_holder(fd):
    info = {"pid": os.getpid(), "host": socket.gethostname(),
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
