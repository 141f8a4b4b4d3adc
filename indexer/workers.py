"""The build's batch tasks where a transport runs them, stopped at once when the build stops.

A transport's ``tasks`` waits for its tasks in whatever thread iterates it,
and a local process pool, asked to stop, waits for the tasks already running:
on ANT that kept an interrupted build alive for over a minute.  So the
results are awaited in a helper thread, and an interruption or a failure of
this process reaches the build's own code at once; the batches learn that
the build no longer wants them from a file that exists while it does (the
``go_on`` of ``indexer.batch.file_batch``, in the folder being written,
which every worker sees, on a cluster too) and stop before their next file.
A batch that fails removes that file itself, so the others stop as well.
"""
import os
import queue
import threading

from .batch import file_batch
from .store.segments import PRIVATE_PREFIX


class RunningBatches:
    """``file_batch`` run on ``transport`` for each argument list; iterate for the results as they come.

    ``stop()`` (always, when done) tells the batches still running to stop
    and waits for them, which takes at most a file each.
    """

    def __init__(self, transport, arguments, folder):
        self.go_on = os.path.join(folder, "%sgo-on-%s" % (PRIVATE_PREFIX, os.urandom(6).hex()))
        with open(self.go_on, "w"):
            pass
        self._results = queue.Queue()
        self._stopping = False
        self._thread = threading.Thread(target=self._await, name="akhbar-batches", daemon=True,
                                        args=(transport, [tuple(a) + (self.go_on,) for a in arguments]))
        self._thread.start()

    def _await(self, transport, arguments):
        results = transport.tasks(file_batch, arguments)
        try:
            for result in results:
                self._results.put(("result", result))
                if self._stopping:
                    break
        except BaseException as e:
            self._results.put(("error", e))
        finally:
            results.close()
            self._results.put(("end", None))

    def __iter__(self):
        while True:
            kind, value = self._results.get()
            if kind == "result":
                yield value
            elif kind == "error":
                raise value
            else:
                return

    def stop(self):
        self._stopping = True
        try:
            os.remove(self.go_on)
        except FileNotFoundError:
            pass
        self._thread.join()
