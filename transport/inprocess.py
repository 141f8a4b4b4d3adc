"""Work run in the calling process: a single index, a build with one worker, tests."""
import threading

from . import Places, Transport


class _Done:
    """An answer already computed (or the exception it raised), waited on like a future."""

    def __init__(self, function, args, kwargs):
        try:
            self.value, self.error = function(*args, **kwargs), None
        except BaseException as e:      # re-raised to the caller by result()
            self.value, self.error = None, e

    def result(self, timeout=None):
        if self.error is not None:
            raise self.error
        return self.value


class InProcessPlaces(Places):
    """The places' objects opened in this process, on first use; calls run in the caller's thread."""

    def __init__(self, opener, n, passes=()):
        self.opener = opener
        self.passes = passes
        self._opened = [None] * n
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._opened)

    def opened(self, i):
        """Place ``i``'s object, opened now if it was not yet."""
        with self._lock:
            if self._opened[i] is None:
                self._opened[i] = self.opener(i)
            return self._opened[i]

    def submit(self, i, function, *args, **kwargs):
        return _Done(function, (self.opened(i),) + args, kwargs)

    def result(self, i, pending, timeout):
        # Nothing can be lost in this process: an exception is the function's own.
        return pending.result()

    def close(self):
        with self._lock:
            opened, self._opened = self._opened, [None] * len(self._opened)
        for o in opened:
            if o is not None and hasattr(o, "close"):
                o.close()


class InProcess(Transport):
    """Everything in this process."""

    def places(self, opener, n, passes=()):
        return InProcessPlaces(opener, n, passes)

    def tasks(self, function, arguments):
        for args in arguments:
            yield function(*args)
