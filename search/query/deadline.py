"""The time limit of one search, as a time.perf_counter() instant every stage checks."""
import time


def deadline_in(seconds):
    """The instant ``seconds`` from now."""
    return time.perf_counter() + seconds


def past(deadline):
    """Whether the ``deadline`` has passed (never, when it is None)."""
    return deadline is not None and time.perf_counter() > deadline
