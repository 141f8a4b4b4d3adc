"""Where work runs: in this process, in processes of this machine, or on a Dask cluster.

The engine and the build say *what* runs; a transport says *where*.  Two
kinds of work travel through it, and every transport offers both:

- **places** (``transport.places(opener, n)``): ``n`` objects opened once
  where they are kept (a shard of an index, kept open for searching) and
  then asked to run functions over them, ``function(opened, *args)``.  A
  place that stops answering (its process died, its worker was lost) makes
  the call fail with ``PlaceFailed``; it is opened anew for the next call,
  and the caller names it in the ``missing`` of what it answers.
- **tasks** (``transport.tasks(function, argument lists)``): independent
  calls whose results come back as they finish (the build's batches).  A
  task whose worker is lost is run again where the transport can (Dask
  does); otherwise the failure ends the run.

Functions travel by name: they must be importable module-level functions,
and what they take and return must pickle.  Exceptions whose type is in a
transport's ``passes`` (a query that cannot be read, a missing index) are the
caller's errors and are raised as they are; any other failure of a place is
``PlaceFailed``.

Implementations: ``transport.inprocess.InProcess``,
``transport.processes.LocalProcesses``, ``transport.dask.Dask``.  Nothing
here knows about indexes or queries.
"""


class PlaceFailed(Exception):
    """Place ``place`` did not answer; ``reason`` says why."""

    def __init__(self, place, reason):
        super().__init__("place %d: %s" % (place, reason))
        self.place = place
        self.reason = reason


class TasksFailed(Exception):
    """A task failed in a way its transport could not repair (a worker process died)."""


class Places:
    """``n`` opened objects and the calls on them; subclasses say where they live.

    ``submit`` starts a call and returns something ``result`` waits on;
    ``call`` and ``each`` are built on those two.
    """

    passes = ()

    def __len__(self):
        raise NotImplementedError

    def submit(self, i, function, *args, **kwargs):
        raise NotImplementedError

    def result(self, i, pending, timeout):
        """What ``submit`` started at place ``i``; PlaceFailed (the place forgotten, to be opened
        anew) when it did not answer, an exception in ``passes`` raised as it is."""
        try:
            return pending.result(timeout=timeout)
        except self.passes:
            raise
        except Exception as e:
            self.forget(i)
            raise PlaceFailed(i, "%s: %s" % (type(e).__name__, e))

    def forget(self, i):
        """Let place ``i`` go after a failure: the next call opens it anew."""

    def close(self):
        pass

    def call(self, i, function, *args, timeout=None, **kwargs):
        """``function(place i's object, *args, **kwargs)`` where place ``i`` lives; PlaceFailed if it does not answer."""
        return self.result(i, self.submit(i, function, *args, **kwargs), timeout)

    def each(self, function, *args, places=None, timeout=None, **kwargs):
        """({place: answer}, [places that failed]) of ``function`` run at every place (or at ``places``).

        Every call is started before any answer is awaited, so the places work side by side.
        """
        chosen = range(len(self)) if places is None else places
        pending = {}
        failed = []
        for i in chosen:
            try:
                pending[i] = self.submit(i, function, *args, **kwargs)
            except PlaceFailed:
                failed.append(i)
        answers = {}
        for i, p in pending.items():
            try:
                answers[i] = self.result(i, p, timeout)
            except PlaceFailed:
                failed.append(i)
        return answers, sorted(failed)


class Transport:
    """Where places are kept and tasks are run (see the module's docstring)."""

    def places(self, opener, n, passes=()):
        """``Places`` of ``opener(i)`` for i in range(n), kept where this transport runs work."""
        raise NotImplementedError

    def tasks(self, function, arguments):
        """Yield ``function(*args)`` for each ``args`` of ``arguments``, in the order they finish."""
        raise NotImplementedError

    def close(self):
        pass
