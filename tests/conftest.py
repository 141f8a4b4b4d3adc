"""Shared fixtures: one index of the bundled corpus for the whole session (helpers are in helpers.py)."""
import pytest
from hypothesis import settings

from helpers import build_corpus

# Speed is measured in bench/, not asserted here: Hypothesis's per-example
# deadline would fail an example that a busy machine merely slowed down.
settings.register_profile("akhbar", deadline=None)
settings.load_profile("akhbar")

# The kinds of slow test (registered in setup.cfg, checked by test_markers.py).
# A test says only its kind; it is then slow too, so `pytest -m "not slow"` leaves it out.
SLOW_KINDS = ("browser", "cluster", "crash", "large")


@pytest.hookimpl(tryfirst=True)       # before -m deselects anything
def pytest_collection_modifyitems(items):
    for item in items:
        if not item.get_closest_marker("slow") and any(item.get_closest_marker(k) for k in SLOW_KINDS):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory):
    """Path of an index built from corpus/ with `akhbar index`."""
    return build_corpus(tmp_path_factory, "corpus-index")


@pytest.fixture(scope="session")
def searcher(corpus_index):
    from search.searcher import Searcher
    s = Searcher(corpus_index)
    yield s
    s.close()
