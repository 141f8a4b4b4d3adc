"""One writer at a time for an index, and a clear word about who holds it.

The lock is a file beside the index directory (``<index>.lock``), so it stays
put while a rebuilt index is swapped in.  It is held with ``flock``: the
operating system releases it when its process dies, even by ``kill -9``, so a
crashed build never leaves a stale lock behind.  The holder writes its process
id, host and start time into the file for the message the next writer shows.
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


class IndexLock:
    """Exclusive writing rights on an index, waiting up to ``wait`` seconds."""

    def __init__(self, index_dir, wait=5.0):
        self.index_dir = index_dir
        self.wait = wait
        self._fd = None

    def acquire(self):
        """Take the lock, waiting up to ``wait`` seconds; raises IndexLocked."""
        path = lock_path(self.index_dir)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise IndexLocked(self.index_dir, read_holder(self.index_dir))
                time.sleep(0.1)
        info = {"pid": os.getpid(), "host": socket.gethostname(),
                "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        self._fd = fd
        return self

    def release(self):
        """Give the lock up."""
        if self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
            finally:
                os.close(self._fd)     # closing the descriptor drops the flock
                self._fd = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
