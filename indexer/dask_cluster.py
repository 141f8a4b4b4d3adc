"""Working on a running Dask cluster (``--cluster ADDRESS``, the ``akhbar[cluster]`` extra).

Dask's ``distributed`` scheduler does the scheduling, data movement, worker
management and retries; akhbar only submits tasks (the build's batch tasks,
indexer.sharded_build) and actors (the shards kept open for searching,
search.cluster).  The index must sit at the same path on this machine and on
every worker (a shared filesystem such as NFS or Lustre): tasks write the
shards' segments there and this process commits them.  A worker that cannot
see the index folder fails the build with a message naming it.
"""
import os

CONNECT_TIMEOUT = "10s"
INSTALL_HINT = "--cluster needs Dask's distributed scheduler: pip install 'akhbar[cluster]'"


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
    for eight relayed calls); searching needs this machine to reach the
    workers' addresses, as the workers reach one another.
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
        raise ClusterError("these Dask workers cannot see %s: %s. The index must be on a filesystem "
                           "shared by this machine and every worker, at the same path"
                           % (path, ", ".join(blind)))


class DaskRunner:
    """Runs the build's batch tasks on a Dask cluster (see indexer.sharded_build.LocalRunner)."""

    def __init__(self, client, index_dir):
        self.client = client
        self.index_dir = index_dir

    def run(self, fn, batches):
        """Yield ``fn(*args)`` for each batch as tasks finish on the workers.

        A worker lost while running a task has the task run again elsewhere
        (Dask's own bookkeeping); only results that arrive here are committed.
        """
        distributed = _distributed()
        if not batches:
            return
        check_workers_see(self.client, os.path.dirname(self.index_dir))
        futures = [self.client.submit(fn, *args, pure=False, key="akhbar-batch-%d-%s" % (n, os.urandom(4).hex()))
                   for n, args in enumerate(batches)]
        try:
            for future in distributed.as_completed(futures, loop=self.client.loop):
                result = future.result()
                future.release()
                yield result
        finally:
            self.client.cancel([f for f in futures if not f.done()])
