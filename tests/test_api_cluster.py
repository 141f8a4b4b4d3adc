"""README's Python API examples run as written through a loopback Dask cluster ($AKHBAR_CLUSTER):
the archive built on the cluster's workers in three shards and searched there."""
import pytest

import akhbar
from api_readme import check_readme_answers, lay_out, run_readme_examples

pytestmark = pytest.mark.cluster
pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
pytest.importorskip("ir_measures")


@pytest.fixture(scope="module")
def loopback(tmp_path_factory):
    from distributed import Client
    from test_cluster import LoopbackCluster
    c = LoopbackCluster(str(tmp_path_factory.mktemp("api-dask")))
    client = None
    try:
        client = Client(c.address, timeout="20s", set_as_default=False)
        c.add_worker(client)
        c.add_worker(client)
        yield c
    finally:
        if client is not None:
            client.close()
        c.stop()


def test_readme_examples_run_on_a_dask_cluster(loopback, tmp_path, monkeypatch):
    lay_out(str(tmp_path), monkeypatch)
    monkeypatch.setenv("AKHBAR_CLUSTER", loopback.address)
    first = akhbar.index("corpus/", "akhbar-index", shards=3, progress=False)      # on the cluster's workers
    assert first.articles > 60
    ns = run_readme_examples(str(tmp_path), monkeypatch)
    check_readme_answers(ns, pd)
    with akhbar.open("akhbar-index") as archive:
        placement = archive._searcher.engine.places.placement()
        assert set(placement.values()) <= set(loopback.workers) and len(placement) == 3
        assert archive.search("الامم المتحده", limit=5, lang="ar", date_from="2023-01").total == ns["results"].total
