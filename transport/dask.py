"""Work run on a Dask cluster (``--cluster ADDRESS``, the ``akhbar[cluster]`` extra).

Dask's ``distributed`` scheduler does the scheduling, data movement, worker
management and retries; this module only submits tasks and actors.  Places
are Dask actors, dealt round the workers in turn and called directly (not
relayed through the scheduler); a place whose worker is lost is opened again
on a live worker for the next call.  Tasks are Dask tasks: a worker lost
while running one has it run again elsewhere, by Dask's own bookkeeping.
Whatever the work reads or writes must sit at the same path on every worker
(a shared filesystem).
"""
import os
import threading
import time

from . import PlaceFailed, Places, Transport

CONNECT_TIMEOUT = "10s"
INSTALL_HINT = "--cluster needs Dask's distributed scheduler: pip install 'akhbar[cluster]'"
REOPEN_WAIT = 60.0      # seconds to wait for a place being opened on a worker


class ClusterError(Exception):
    """The cluster cannot be used: the extra is missing, the scheduler unreachable, a worker blind."""


def _distributed():
    try:
        import distributed
    except ImportError:
        raise ClusterError(INSTALL_HINT)
    return distributed


def connect(address, timeout=None, direct=False):
    """A ``distributed.Client`` of the scheduler at ``address``; ClusterError if it cannot be reached.

    ``direct``: calls to actors go straight to their worker.  Otherwise Dask
    relays each call through the scheduler (two network hops and the
    scheduler's attention per call, which made a search on four shards wait
    for eight relayed calls); it needs this machine to reach the workers'
    addresses, as the workers reach one another.
    """
    distributed = _distributed()
    try:
        return distributed.Client(address, timeout=timeout or CONNECT_TIMEOUT, set_as_default=False,
                                  direct_to_workers=direct)
    except (OSError, TimeoutError) as e:
        raise ClusterError("cannot reach the Dask scheduler at %s (%s). Is `dask scheduler` running "
                           "there, and is the address right?" % (address, e))
    except ValueError as e:
        raise ClusterError("%s is not a Dask scheduler address (%s); write it as tcp://HOST:8786"
                           % (address, e))


def _sees(path):
    return os.path.isdir(path)


def check_workers_see(client, path):
    """ClusterError naming the workers that cannot see ``path`` (no shared filesystem there)."""
    workers = list(client.scheduler_info().get("workers", {}))
    if not workers:
        raise ClusterError("the Dask scheduler has no workers; start some with: dask worker ADDRESS")
    seen = client.run(_sees, path)
    blind = sorted(w for w, ok in seen.items() if not ok)
    if blind:
        raise ClusterError("these Dask workers cannot see %s: %s. The work must be on a filesystem "
                           "shared by this machine and every worker, at the same path"
                           % (path, ", ".join(blind)))


class PlaceActor:
    """One place's object as a Dask actor: ``run`` calls a function over it where it lives."""

    def __init__(self, opener, i):
        self.opened = opener(i)

    def run(self, function, args, kwargs):
        return function(self.opened, *args, **kwargs)

    def where(self):
        from distributed import get_worker
        return get_worker().address


class ActorPlaces(Places):
    """Places as actors on the workers of ``client``'s cluster."""

    def __init__(self, client, opener, n, passes=()):
        self.client = client
        self.opener = opener
        self.passes = tuple(passes)
        self._actors = [None] * n
        self._opening = [None] * n
        self._lock = threading.Lock()
        for i in range(n):
            self._open(i)

    def __len__(self):
        return len(self._actors)

    def _open(self, i):
        """Start opening place ``i`` on a worker: places are dealt round the workers in turn, so each
        worker holds its share (Dask may put one elsewhere if that worker is busy or gone)."""
        workers = sorted(self.client.scheduler_info().get("workers", {}))
        where = dict(workers=[workers[i % len(workers)]], allow_other_workers=True) if workers else {}
        self._opening[i] = self.client.submit(PlaceActor, self.opener, i, actor=True, pure=False,
                                              key="akhbar-place-%d-%s" % (i, time.time_ns()), **where)

    def _actor(self, i):
        with self._lock:
            if self._actors[i] is not None:
                return self._actors[i]
            if self._opening[i] is None:
                self._open(i)
            opening = self._opening[i]
        try:
            actor = opening.result(timeout=REOPEN_WAIT)
        except Exception as e:
            with self._lock:
                self._opening[i] = None
            raise PlaceFailed(i, "could not be opened on a worker (%s: %s)" % (type(e).__name__, e))
        with self._lock:
            self._actors[i] = actor
        return actor

    def submit(self, i, function, *args, **kwargs):
        try:
            # Actor handles find their client as the current one.
            with self.client.as_current():
                return self._actor(i).run(function, args, kwargs)
        except PlaceFailed:
            raise
        except Exception as e:
            self.forget(i)
            raise PlaceFailed(i, "%s: %s" % (type(e).__name__, e))

    def placement(self):
        """{place: address of the worker holding it}, opening any place not open yet."""
        out = {}
        for i in range(len(self)):
            with self.client.as_current():
                out[i] = self.result(i, self._actor(i).where(), REOPEN_WAIT)
        return out

    def forget(self, i):
        """Forget place ``i``'s actor; it is opened again on a live worker."""
        with self._lock:
            self._actors[i] = None
            self._open(i)

    def close(self):
        with self._lock:
            self._actors = [None] * len(self._actors)
            self._opening = [None] * len(self._opening)


class Dask(Transport):
    """The cluster whose scheduler is at ``address`` (or a ``distributed.Client`` already made).

    ``direct=False`` relays calls to places through the scheduler (slower;
    for a caller that cannot reach the workers' addresses).  ``sees``, when
    given, is a folder every worker must see before tasks are sent.
    """

    def __init__(self, address, direct=True, client=None, sees=None):
        self.address = address
        self.client = client if client is not None else connect(address, direct=direct)
        self.sees = sees

    def places(self, opener, n, passes=()):
        return ActorPlaces(self.client, opener, n, passes)

    def tasks(self, function, arguments):
        distributed = _distributed()
        arguments = list(arguments)
        if not arguments:
            return
        if self.sees:
            check_workers_see(self.client, self.sees)
        futures = [self.client.submit(function, *args, pure=False,
                                      key="akhbar-task-%d-%s" % (n, os.urandom(4).hex()))
                   for n, args in enumerate(arguments)]
        try:
            for future in distributed.as_completed(futures, loop=self.client.loop):
                result = future.result()
                future.release()
                yield result
        finally:
            self.client.cancel([f for f in futures if not f.done()])

    def close(self):
        self.client.close()
