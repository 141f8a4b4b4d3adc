"""One engine for an index of one shard or many: read a query once, collect per shard, merge.

A single index is the one-shard case.  The engine keeps each shard open
where its transport says (transport/: this process for a single index,
one process per shard for a sharded one, Dask actors on a cluster), reads
every query once against the whole archive (search.engine.archive) and runs
a view's collector (search.engine.collector) on the shards, merging their
parts.  A shard that does not answer leaves the answer partial, with
``missing`` naming it (``shard-N``); it is opened again for the next query.
"""
import os
from functools import partial

from indexer.schema import check_meta
from indexer.shards import ShardLayoutError, is_sharded, shard_dirs

from transport import PlaceFailed
from transport.inprocess import InProcess, InProcessPlaces

from search.engine.archive import Archive, OwnArchive
from search.engine.collector import collect_at
from search.engine.shard import open_shard
from search.query.deadline import deadline_in
from search.query.options import DEFAULT_TIME_LIMIT
from search.query.syntax import QueryError

# How long the caller waits for a shard beyond the query's time limit (a
# first query loads the shard's tables).
ANSWER_GRACE = 120.0
# A shard's exceptions that are the caller's to handle, not a lost shard.
PASSES = (QueryError, FileNotFoundError)


class ShardsUnavailable(Exception):
    """No shard answered."""

    def __init__(self, missing):
        super().__init__("no shard of the index answered (%s)" % ", ".join(missing))
        self.missing = missing


def shard_label(i):
    """How a shard is named to users, in ``missing`` and in messages."""
    return "shard-%d" % i


def _warm_shard(shard):
    shard.warm()


class Engine:
    """The shards of ``index_dir`` (one for a single index), kept open by ``transport``.

    ``transport`` defaults to this process for a single index and to one
    local process per shard for a sharded one.
    """

    def __init__(self, index_dir, transport=None, time_limit=DEFAULT_TIME_LIMIT):
        self.index_dir = index_dir
        self.time_limit = DEFAULT_TIME_LIMIT if time_limit is None else time_limit
        self.sharded = is_sharded(index_dir)
        self.dirs = shard_dirs(index_dir) if self.sharded else [index_dir]
        if self.sharded:
            for d in self.dirs:
                check_meta(d)
        if transport is None:
            from transport.processes import LocalProcesses
            transport = LocalProcesses() if self.sharded else InProcess()
        self.transport = transport
        self.places = transport.places(partial(open_shard, tuple(self.dirs), self.time_limit), len(self.dirs),
                                       passes=PASSES)
        try:
            if isinstance(self.places, InProcessPlaces) and len(self.dirs) == 1:
                # A shard kept here is its own archive: its tables serve, nothing is read twice.
                self.archive = OwnArchive(self.places.opened(0))
            else:
                self.archive = Archive(self.dirs)
        except BaseException:
            self.places.close()
            raise

    def __len__(self):
        return len(self.dirs)

    def close(self):
        self.places.close()
        self.archive.close()
        self.transport.close()

    def warm(self):
        """Open every shard and build its tables, and the archive's, now rather than on first use."""
        self.archive.warm()
        self.places.each(_warm_shard, timeout=ANSWER_GRACE)

    def local(self, i=0):
        """Shard ``i`` as kept in this process (for tests and measurements that read its tables);
        ValueError when the transport keeps the shards elsewhere."""
        if not isinstance(self.places, InProcessPlaces):
            raise ValueError("the shards of %s are kept in other processes" % self.index_dir)
        return self.places.opened(i)

    def deadline(self, options):
        """The instant a request with QueryOptions ``options`` must be answered by."""
        return deadline_in(options.seconds(self.time_limit))

    def read(self, options, deadline=None):
        """QueryOptions ``options`` read once against the archive (a PreparedQuery every shard matches)."""
        return self.archive.prepare(options, self.deadline(options) if deadline is None else deadline)

    def collect(self, collector, wait=None, shards=None):
        """``collector`` run on every shard (or on ``shards``) and merged.

        ``wait`` is how many seconds the collector's work may take (the
        engine's time limit by default); a shard that has not answered
        ``ANSWER_GRACE`` later is missing.  ShardsUnavailable when none answered.
        """
        timeout = (self.time_limit if wait is None else wait) + ANSWER_GRACE
        answers, failed = self.places.each(collect_at, collector, places=shards, timeout=timeout)
        missing = [shard_label(i) for i in failed]
        if not answers and missing:
            raise ShardsUnavailable(missing)
        return collector.merge(sorted(answers.items()), missing)

    def submit(self, i, collector):
        """Start ``collector`` on shard ``i`` alone; wait with ``result``.  PlaceFailed if it cannot be asked."""
        return self.places.submit(i, collect_at, collector)

    def result(self, i, pending, wait=None):
        """The part ``submit`` started; PlaceFailed if shard ``i`` did not answer."""
        return self.places.result(i, pending, (self.time_limit if wait is None else wait) + ANSWER_GRACE)

    def ask(self, i, collector, wait=None):
        """Shard ``i``'s part of ``collector`` alone; PlaceFailed if it does not answer."""
        return self.result(i, self.submit(i, collector), wait)


def open_engine(index_dir, cluster=None, time_limit=None):
    """The Engine of ``index_dir``: single or sharded, searched here, in local processes, or
    through the Dask scheduler at ``cluster`` (default ``$AKHBAR_CLUSTER``)."""
    cluster = cluster if cluster is not None else os.environ.get("AKHBAR_CLUSTER") or None
    if cluster and not is_sharded(index_dir):
        if not os.path.exists(index_dir):
            raise FileNotFoundError("no akhbar index in %s" % index_dir)
        raise ShardLayoutError("%s is a single index; --cluster searches sharded ones "
                               "(akhbar index PATH --shards N --rebuild)" % index_dir)
    transport = None
    if cluster:
        from transport.dask import Dask
        transport = Dask(cluster)
    try:
        return Engine(index_dir, transport=transport, time_limit=time_limit)
    except BaseException:
        if transport is not None:
            transport.close()
        raise


__all__ = ["ANSWER_GRACE", "Engine", "PlaceFailed", "ShardsUnavailable", "open_engine", "shard_label"]
