"""Where work runs (transport/): places kept open and tasks, the same calls in every transport."""
import os
import signal

import pytest

from transport import PlaceFailed
from transport.inprocess import InProcess
from transport.processes import LocalProcesses


class Counter:
    """A place's object: it remembers what was added to it, where it lives."""

    def __init__(self, i):
        self.i = i
        self.total = 0


def open_counter(i):
    return Counter(i)


def add(counter, n):
    counter.total += n
    return (counter.i, counter.total, os.getpid())


def refuse(counter, text):
    raise ValueError(text)


def die(counter):
    os.kill(os.getpid(), signal.SIGKILL)


def square(x):
    return x * x


@pytest.fixture(params=["inprocess", "processes"])
def transport(request):
    return InProcess() if request.param == "inprocess" else LocalProcesses(workers=2)


def test_places_keep_their_object_between_calls(transport):
    places = transport.places(open_counter, 3)
    try:
        assert len(places) == 3
        assert places.call(1, add, 5, timeout=60)[:2] == (1, 5)
        assert places.call(1, add, 2, timeout=60)[:2] == (1, 7)
        answers, failed = places.each(add, 1, timeout=60)
        assert failed == [] and {i: a[:2] for i, a in answers.items()} == {0: (0, 1), 1: (1, 8), 2: (2, 1)}
        answers, _ = places.each(add, 0, places=[2], timeout=60)
        assert list(answers) == [2]
    finally:
        places.close()


def test_an_error_the_caller_expects_passes_through(transport):
    places = transport.places(open_counter, 2, passes=(ValueError,))
    try:
        with pytest.raises(ValueError, match="bad query"):
            places.call(0, refuse, "bad query", timeout=60)
        assert places.call(0, add, 1, timeout=60)[:2] == (0, 1)
    finally:
        places.close()


@pytest.mark.crash
def test_a_place_whose_process_dies_is_named_and_opened_again():
    places = LocalProcesses().places(open_counter, 2)
    try:
        first = places.call(0, add, 1, timeout=60)
        answers, failed = places.each(die, timeout=60)
        assert failed == [0, 1] and answers == {}
        again = places.call(0, add, 1, timeout=60)
        assert again[:2] == (0, 1) and again[2] != first[2]      # a new process, a fresh object
    finally:
        places.close()


def test_tasks_answer_every_argument_once(transport):
    assert sorted(transport.tasks(square, [(n,) for n in range(7)])) == [n * n for n in range(7)]
    assert list(transport.tasks(square, [])) == []
