"""Shards kept open on Dask workers, one actor each (``search --cluster``, ``serve --cluster``).

Each shard is a ``search.engine.shard.ShardSearcher`` living in a Dask actor: opened
once on a worker and kept there, so its tables are built once and every query
reaches it directly.  Calls are the same as with local processes
(search.engine.engine.LocalShards).  When a worker is lost its shards stop
answering: the query is answered by the others, marked partial, and the lost
shards are opened again on a live worker for the next query.
"""
import threading
import time

from indexer.dask_cluster import connect

from search.engine.shard import ShardSearcher
from search.engine.engine import ShardFailed
from search.query.syntax import QueryError

REOPEN_WAIT = 60.0      # seconds to wait for a shard being opened on a worker


class ShardActor:
    """A ShardSearcher as a Dask actor: ``call`` runs one of its methods."""

    def __init__(self, dirs, number, time_limit=None):
        self.shard = ShardSearcher(dirs, number, time_limit)

    def call(self, method, args, kwargs):
        if method == "where":
            from distributed import get_worker
            return get_worker().address
        return getattr(self.shard, method)(*args, **kwargs)


class DaskShards:
    """The shards of an index as actors on the workers of the scheduler at ``address``."""

    def __init__(self, address, dirs, time_limit=None, direct=True):
        self.address = address
        self.dirs = dirs
        self.time_limit = time_limit
        self.client = connect(address, direct=direct)    # direct=False: calls relayed by the scheduler
        self._actors = [None] * len(dirs)
        self._opening = [None] * len(dirs)
        self._lock = threading.Lock()
        for i in range(len(dirs)):
            self._open(i)

    def __len__(self):
        return len(self.dirs)

    def _open(self, i):
        """Start opening shard ``i`` on a worker: the shards are dealt round the workers in turn,
        so each worker searches its share (Dask may place one elsewhere if its worker is busy or gone)."""
        workers = sorted(self.client.scheduler_info().get("workers", {}))
        where = dict(workers=[workers[i % len(workers)]], allow_other_workers=True) if workers else {}
        self._opening[i] = self.client.submit(ShardActor, self.dirs, i, self.time_limit, actor=True,
                                              pure=False, key="akhbar-shard-%d-%s" % (i, time.time_ns()),
                                              **where)

    def placement(self):
        """{shard number: address of the worker holding it}, opening any shard not open yet."""
        return {i: self.result(i, self.submit(i, "where"), REOPEN_WAIT) for i in range(len(self.dirs))}

    def _actor(self, i):
        with self._lock:
            if self._actors[i] is None:
                if self._opening[i] is None:
                    self._open(i)
                opening = self._opening[i]
            else:
                return self._actors[i]
        try:
            actor = opening.result(timeout=REOPEN_WAIT)
        except Exception as e:
            with self._lock:
                self._opening[i] = None
            raise ShardFailed(i, "could not be opened on a worker (%s: %s)" % (type(e).__name__, e))
        with self._lock:
            self._actors[i] = actor
        return actor

    def submit(self, i, method, *args, **kwargs):
        try:
            # Actor handles find their client as the current one.
            with self.client.as_current():
                return self._actor(i).call(method, args, kwargs)
        except ShardFailed:
            raise
        except Exception as e:
            self._lost(i)
            raise ShardFailed(i, "%s: %s" % (type(e).__name__, e))

    def result(self, i, future, timeout):
        try:
            return future.result(timeout=timeout)
        except QueryError:
            raise
        except Exception as e:
            self._lost(i)
            raise ShardFailed(i, "%s: %s" % (type(e).__name__, e))

    def _lost(self, i):
        """Forget shard ``i``'s actor; it is opened again on a live worker."""
        with self._lock:
            self._actors[i] = None
            self._open(i)

    def close(self):
        with self._lock:
            self._actors = [None] * len(self.dirs)
            self._opening = [None] * len(self.dirs)
        self.client.close()
