"""Work run in other processes of this machine.

Places: one single-worker process pool per place, each keeping its object
open, so one request keeps every core busy and a slow place delays only its
own part.  Tasks: one pool of ``workers`` processes.  Every worker process
ends with the process it serves, however that one ends (killed without
closing its pools included): on Linux the kernel kills it
(``PR_SET_PDEATHSIG``); elsewhere a thread notices within seconds.
"""
import ctypes
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from . import PlaceFailed, Places, TasksFailed, Transport

OWNER_CHECK_SECONDS = 2.0

_OPENED = {}


def _context(method):
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context(method if method in methods else None)


def _die_with(owner):
    """End this process when ``owner`` is gone."""
    try:
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass        # not Linux: the thread below watches instead
    # Under a forkserver the parent is the server, not the owner: the thread watches the owner.
    threading.Thread(target=_watch, args=(owner,), daemon=True).start()


def _watch(owner):
    while True:
        time.sleep(OWNER_CHECK_SECONDS)
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:
            pass


def _open_place(opener, i, owner):
    # Ctrl-C is the owner's to handle; it closes the pools.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(owner)
    _OPENED["place"] = opener(i)


def _run_at_place(function, args, kwargs):
    return function(_OPENED["place"], *args, **kwargs)


def _start_task_worker(owner):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(owner)


class ProcessPlaces(Places):
    """Each place's object kept open in a process of its own."""

    def __init__(self, opener, n, passes=(), start_method="forkserver"):
        self.opener = opener
        self.passes = tuple(passes)
        self.start_method = start_method
        self._pools = [None] * n
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._pools)

    def _pool(self, i):
        with self._lock:
            if self._pools[i] is None:
                self._pools[i] = ProcessPoolExecutor(1, mp_context=_context(self.start_method),
                                                     initializer=_open_place,
                                                     initargs=(self.opener, i, os.getpid()))
            return self._pools[i]

    def submit(self, i, function, *args, **kwargs):
        try:
            return self._pool(i).submit(_run_at_place, function, args, kwargs)
        except (BrokenProcessPool, RuntimeError) as e:
            # The process died between two calls and its pool has noticed already.
            self.forget(i)
            raise PlaceFailed(i, "%s: %s" % (type(e).__name__, e))

    def forget(self, i):
        # A dead process breaks its pool; a timed-out one may be stuck: either way the next call starts anew.
        with self._lock:
            pool, self._pools[i] = self._pools[i], None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self):
        with self._lock:
            pools, self._pools = self._pools, [None] * len(self._pools)
        for pool in pools:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


class LocalProcesses(Transport):
    """Places in processes of their own; tasks on a pool of ``workers`` processes (forked: they start at once)."""

    def __init__(self, workers=None, start_method="forkserver"):
        self.workers = workers or os.cpu_count() or 1
        self.start_method = start_method

    def places(self, opener, n, passes=()):
        return ProcessPlaces(opener, n, passes, self.start_method)

    def tasks(self, function, arguments):
        arguments = list(arguments)
        if self.workers <= 1 or len(arguments) < 2:
            for args in arguments:
                yield function(*args)
            return
        with ProcessPoolExecutor(min(self.workers, len(arguments)), mp_context=_context("fork"),
                                 initializer=_start_task_worker, initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(function, *args) for args in arguments]
            try:
                for f in as_completed(futures):
                    try:
                        yield f.result()
                    except BrokenProcessPool as e:
                        raise TasksFailed("a worker process died (%s)" % e)
            finally:
                for f in futures:
                    f.cancel()
