"""One engine, every layout: a single index and its archive in 1 or 4 shards, kept in this process or
in a process per shard, answer every view alike (3 shards in processes: test_shards.py; on a loopback
Dask cluster: test_cluster.py)."""
import pytest

from helpers import build_corpus
from shard_checks import differences, research_differences
from search.searcher import Searcher
from transport.inprocess import InProcess
from transport.processes import LocalProcesses

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def one_shard_index(tmp_path_factory):
    return build_corpus(tmp_path_factory, "one-shard", "--shards", "1")


@pytest.fixture(scope="module")
def four_shard_index(tmp_path_factory):
    return build_corpus(tmp_path_factory, "four-shards", "--shards", "4")


@pytest.mark.parametrize("shards, where", [("one", "inprocess"), ("one", "processes"), ("four", "inprocess")])
def test_every_view_of_the_layout_is_the_single_index(shards, where, one_shard_index, four_shard_index, searcher):
    index_dir = one_shard_index if shards == "one" else four_shard_index
    s = Searcher(index_dir, transport=InProcess() if where == "inprocess" else LocalProcesses())
    try:
        assert len(s.engine) == (1 if shards == "one" else 4)
        assert differences(searcher, s) == []
        assert research_differences(searcher, s) == []
        assert s.stats()["articles"] == searcher.stats()["articles"]
    finally:
        s.close()
