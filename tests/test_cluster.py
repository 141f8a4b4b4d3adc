"""A sharded index built and searched on a real Dask cluster: a `dask scheduler` and two
`dask worker` processes on 127.0.0.1, started here and stopped at the end."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from helpers import CORPUS, ROOT, cli_json, run_cli
from shard_checks import differences

pytest.importorskip("distributed")

pytestmark = pytest.mark.cluster

DASK = os.path.join(os.path.dirname(sys.executable), "dask")
START_WAIT = 60


class LoopbackCluster:
    """A scheduler and its workers as subprocesses, each with one thread and no nanny."""

    def __init__(self, folder):
        self.folder = folder
        self.scheduler_file = os.path.join(folder, "scheduler.json")
        self.env = dict(os.environ, PYTHONPATH=ROOT, DASK_DISTRIBUTED__WORKER__DAEMON="False")
        self.procs = []
        self.workers = {}       # address -> process
        self.scheduler = self._start([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0",
                                      "--no-dashboard", "--scheduler-file", self.scheduler_file], "scheduler")
        deadline = time.monotonic() + START_WAIT
        while not os.path.exists(self.scheduler_file):
            assert time.monotonic() < deadline, "the Dask scheduler did not start"
            time.sleep(0.2)
        time.sleep(0.2)
        with open(self.scheduler_file) as f:
            self.address = json.load(f)["address"]

    def _start(self, cmd, name):
        log = open(os.path.join(self.folder, name + ".log"), "w")
        proc = subprocess.Popen(cmd, cwd=self.folder, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def add_worker(self, client):
        before = set(client.scheduler_info()["workers"])
        proc = self._start([DASK, "worker", self.address, "--nthreads", "1", "--no-nanny", "--host",
                            "127.0.0.1", "--no-dashboard", "--local-directory", self.folder],
                           "worker-%d" % len(self.procs))
        deadline = time.monotonic() + START_WAIT
        while True:
            new = set(client.scheduler_info()["workers"]) - before
            if new:
                self.workers[new.pop()] = proc
                return
            assert time.monotonic() < deadline and proc.poll() is None, "a Dask worker did not start"
            time.sleep(0.2)

    def kill(self, address):
        os.kill(self.workers.pop(address).pid, signal.SIGKILL)

    def stop(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from distributed import Client
    c = LoopbackCluster(str(tmp_path_factory.mktemp("dask")))
    client = None
    try:
        client = Client(c.address, timeout="20s", set_as_default=False)
        c.add_worker(client)
        c.add_worker(client)
        c.client = client
        yield c
    finally:
        if client is not None:
            client.close()
        c.stop()


@pytest.fixture(scope="module")
def cluster_index(cluster, tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("cluster-index") / "ix"
    result = run_cli("index", CORPUS, "--index", index_dir, "--shards", "3", "--cluster", cluster.address)
    assert result.exit_code == 0, result.output
    return str(index_dir)


def test_built_on_the_cluster_and_searched_there_as_one_index(cluster, cluster_index, corpus_index, searcher):
    from search.searcher import open_searcher
    assert cli_json("stats", "--index", cluster_index, "--cluster", cluster.address)["articles"] == \
        cli_json("stats", "--index", corpus_index)["articles"]
    sharded = open_searcher(cluster_index, cluster=cluster.address)
    try:
        assert sorted(sharded.engine.places.placement().values()) != []
        assert differences(searcher, sharded) == []
    finally:
        sharded.close()


def test_searches_call_the_shards_directly_not_through_the_scheduler(cluster, cluster_index, searcher):
    """Dask relays an actor call through the scheduler unless the client talks to workers directly:
    two hops per call and eight calls per page.  The relayed client is searched too, so the count
    is seen to move when calls are relayed."""
    from indexer.shards import shard_dirs
    from search.searcher import Searcher, open_searcher
    from transport.dask import Dask

    def relayed_calls(dask_scheduler):
        if not hasattr(dask_scheduler, "akhbar_relayed"):
            dask_scheduler.akhbar_relayed = 0
            proxy = dask_scheduler.handlers["proxy"]

            async def counted(**msg):
                dask_scheduler.akhbar_relayed += 1
                return await proxy(**msg)
            dask_scheduler.handlers["proxy"] = counted
        return dask_scheduler.akhbar_relayed

    counts = []
    for sharded in (open_searcher(cluster_index, cluster=cluster.address),
                    Searcher(cluster_index, transport=Dask(cluster.address, direct=False))):
        try:
            sharded.search("election")       # opens the shards' actors
            before = cluster.client.run_on_scheduler(relayed_calls)
            results = sharded.search("election")
            counts.append(cluster.client.run_on_scheduler(relayed_calls) - before)
            assert results.total == searcher.search("election").total > 0 and not results.missing
        finally:
            sharded.close()
    direct, relayed = counts
    assert direct == 0
    assert relayed >= len(shard_dirs(cluster_index))


@pytest.mark.crash
def test_a_worker_killed_mid_build_leaves_every_article_exactly_once(cluster, tmp_path, corpus_index, monkeypatch):
    from indexer.build import build_index
    from indexer.shards import shard_dirs
    from transport.dask import Dask
    from whoosh import index as whoosh_index
    index_dir = str(tmp_path / "ix")
    # The cluster's client is the module's: the build does not close it.
    on_cluster = Dask(cluster.address, client=cluster.client, sees=str(tmp_path))
    killed = []

    def killer():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            for address, tasks in cluster.client.processing().items():
                if tasks and address in cluster.workers and len(cluster.workers) > 1:
                    cluster.kill(address)
                    killed.append((address, list(tasks)))
                    return
            time.sleep(0.01)

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        # A batch of one file per shard: many tasks to catch.
        summary = build_index([CORPUS], index_dir, shards=3, transport=on_cluster, commit_every=1)
    finally:
        thread.join()
        cluster.add_worker(cluster.client)          # back to two workers for what follows
    assert killed, "no worker was seen running a task"
    ids = []
    for d in shard_dirs(index_dir):
        with whoosh_index.open_dir(d).reader() as r:
            ids.extend(r.stored_fields(n)["id"] for n in r.all_doc_ids())
    assert len(ids) == len(set(ids)) == summary.articles
    assert summary.articles == cli_json("stats", "--index", corpus_index)["articles"]
    assert not any(name.startswith(".w-") for d in shard_dirs(index_dir) for name in os.listdir(d))


@pytest.mark.crash
def test_a_worker_lost_while_serving_gives_a_partial_labelled_page_then_recovers(cluster, cluster_index, monkeypatch):
    from bs4 import BeautifulSoup
    from web.app import create_app
    monkeypatch.setenv("AKHBAR_CLUSTER", cluster.address)
    app = create_app(cluster_index)
    client = app.test_client()
    try:
        whole = client.get("/?q=الأمم المتحدة")
        assert whole.status_code == 200 and "partial" not in whole.get_data(as_text=True)
        shards = app.extensions["akhbar"].run(lambda s: s.engine.places.placement())
        by_worker = {}
        for shard, address in shards.items():
            by_worker.setdefault(address, []).append(shard)
        assert len(by_worker) == 2, "the shards are dealt to both workers"
        victim, lost = sorted(by_worker.items())[0]
        cluster.kill(victim)
        part = client.get("/?q=الأمم المتحدة")
        assert part.status_code == 200
        text = BeautifulSoup(part.get_data(as_text=True), "html.parser").get_text(" ")
        for shard in lost:
            assert "shard-%d" % shard in text
        again = None
        for _ in range(20):          # the lost shards are opened again on the other worker
            again = client.get("/?q=الأمم المتحدة")
            if "shard-" not in again.get_data(as_text=True):
                break
            time.sleep(0.5)
        assert again.status_code == 200 and "shard-" not in again.get_data(as_text=True)
    finally:
        app.extensions["akhbar"].close()
        cluster.add_worker(cluster.client)


def test_an_unreachable_scheduler_is_named(monkeypatch, tmp_path):
    import transport.dask
    monkeypatch.setattr(transport.dask, "CONNECT_TIMEOUT", "1s")
    index_dir = tmp_path / "ix"
    assert run_cli("index", os.path.join(CORPUS, "en"), "--index", index_dir, "--shards", "2").exit_code == 0
    result = run_cli("search", "water", "--index", index_dir, "--cluster", "tcp://127.0.0.1:9")
    assert result.exit_code == 1 and "tcp://127.0.0.1:9" in result.output and "Traceback" not in result.output


def test_without_the_extra_cluster_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = run_cli("index", CORPUS, "--index", tmp_path / "ix", "--cluster", "tcp://127.0.0.1:8786")
    assert result.exit_code == 1 and "pip install 'akhbar[cluster]'" in result.output


def test_research_views_on_the_cluster_are_one_index(cluster, cluster_index, searcher):
    from search.searcher import open_searcher
    from shard_checks import research_differences
    sharded = open_searcher(cluster_index, cluster=cluster.address)
    try:
        assert research_differences(searcher, sharded) == []
    finally:
        sharded.close()
    for args in (("timeline", "الأمم", "--by", "year", "--csv"), ("kwic", "الأمم", "--sort", "left", "--csv"),
                 ("search", "الأمم", "--all", "--format", "csv")):
        result = run_cli(*args, "--index", cluster_index, "--cluster", cluster.address)
        assert result.exit_code == 0 and len(result.stdout.splitlines()) > 3, result.output


@pytest.mark.crash
def test_a_worker_lost_under_the_research_pages_gives_labelled_partial_pages(cluster, cluster_index, monkeypatch):
    from web.app import create_app
    monkeypatch.setenv("AKHBAR_CLUSTER", cluster.address)
    app = create_app(cluster_index)
    client = app.test_client()
    urls = ("/timeline?q=الأمم", "/kwic?q=الأمم", "/forms?w=انتخابات", "/export.csv?q=الأمم")
    try:
        for url in urls:
            assert client.get(url).status_code == 200
        placement = app.extensions["akhbar"].run(lambda s: s.engine.places.placement())
        victim = sorted(set(placement.values()))[0]
        lost = sorted("shard-%d" % i for i, where in placement.items() if where == victim)
        cluster.kill(victim)
        first = client.get(urls[0])
        text = first.get_data(as_text=True)
        assert first.status_code == 200 and all(name in text for name in lost) and "Traceback" not in text
        for url in urls[1:]:
            r = client.get(url)
            assert r.status_code == 200 and "Traceback" not in r.get_data(as_text=True)
    finally:
        app.extensions["akhbar"].close()
        cluster.add_worker(cluster.client)


@pytest.mark.crash
def test_a_worker_killed_in_the_middle_of_an_export_leaves_it_whole(cluster, cluster_index, searcher, monkeypatch):
    import search.views.export as export_shards
    from search.searcher import open_searcher
    from shard_checks import same_ranking
    from test_shards import _count_asks
    monkeypatch.setattr(export_shards, "BATCH", 2)
    asked_again = _count_asks(monkeypatch)
    sharded = open_searcher(cluster_index, cluster=cluster.address)
    try:
        export = sharded.export("", sort="newest", lang="ar")
        batches = export.batches()
        got = next(batches)
        placement = sharded.engine.places.placement()
        victim = sorted(set(placement.values()))[0]
        cluster.kill(victim)
        got += [h for batch in batches for h in batch]
    finally:
        sharded.close()
        cluster.add_worker(cluster.client)
    whole = searcher.export("", sort="newest", lang="ar")
    whole = [h for batch in whole.batches() for h in batch]
    assert len(got) == export.total == len(whole) > 30
    assert same_ranking(whole, got, "newest") and {h.id for h in got} == {h.id for h in whole}
    # Each shard of the lost worker that still had articles to give was asked again.
    assert set(asked_again) and set(asked_again) <= {i for i, where in placement.items() if where == victim}
