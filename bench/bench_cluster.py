"""A sharded archive beside one index: build time, identical rankings, search latency.

In one run, on one machine:

1. builds the archive as one index, as N shards with local worker processes,
   and as N shards on a loopback Dask cluster (a scheduler and ``--workers``
   worker processes of one thread each, ``distributed.LocalCluster``);
2. runs the dev queries (a TREC run of the first ``--depth`` hits each) on
   all three and compares them: totals, and rankings with runs of equal
   scores compared as sets (one index orders equal scores by the order its
   build committed documents in, which is not a property of the archive);
3. times warm searches (page of 10 with facets) in-process and through
   ``akhbar serve`` (HTTP on 127.0.0.1), p50/p95 over ``--repeat`` passes
   after one warming pass; each query is asked of the three in turn, so a
   change in the machine's load falls on all three alike.

    python bench/bench_cluster.py --ant /tmp/ant --work /work/data-cluster
    python bench/bench_cluster.py --ant /work/data-scale/archive-11x.jsonl --skip-single-build

The dev topics are ``../shared/eval/ant-dev.topics.tsv`` (beside the checkout).
"""
import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)
sys.path.insert(0, os.path.join(REPO, "tests"))

from bench_latency import DEFAULT_TOPICS, read_queries, summarise  # noqa: E402


def _cpu(usage):
    return usage.ru_utime + usage.ru_stime


def _worker_usage():
    """(CPU seconds, peak resident MB) of the process it runs in (a Dask worker)."""
    import resource
    u = resource.getrusage(resource.RUSAGE_SELF)
    return _cpu(u), u.ru_maxrss / 1024


def timed_build(label, fn, client=None):
    """{wall, cpu, articles, rate, peak_mb} of one build: CPU seconds of this process, of its
    finished child processes and (``client``) of the Dask workers, so that a build is compared
    by the work it did and not only by a wall time the shared machine's load stretches."""
    import resource
    before = [_cpu(resource.getrusage(w)) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    workers_before = client.run(_worker_usage) if client else {}
    t0 = time.perf_counter()
    summary = fn()
    wall = time.perf_counter() - t0
    self_u, kids_u = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    workers_after = client.run(_worker_usage) if client else {}
    cpu = {"caller": _cpu(self_u) - before[0], "children": _cpu(kids_u) - before[1],
           "workers": sum(workers_after[w][0] - workers_before.get(w, (0, 0))[0] for w in workers_after)}
    peaks = {"caller": self_u.ru_maxrss / 1024, "largest child": kids_u.ru_maxrss / 1024,
             "largest worker": max((v[1] for v in workers_after.values()), default=0)}
    out = {"wall": wall, "cpu": sum(cpu.values()), "cpu_parts": cpu, "articles": summary.articles,
           "rate": summary.articles / wall, "peak_mb": peaks, "load": os.getloadavg()}
    print("%-28s %8.1f s wall  %8.1f s CPU (%s)  %d articles  %.0f articles/s  peak MB %s  load %s" % (
        label, wall, out["cpu"], ", ".join("%s %.1f" % kv for kv in cpu.items()), summary.articles,
        out["rate"], ", ".join("%s %.0f" % kv for kv in peaks.items()), out["load"]), flush=True)
    return out


def trec_run(searcher, topics, depth):
    """{qid: SearchResults} of every topic."""
    return {qid: searcher.search(q, limit=depth, facets=False, suggestions=False) for qid, q in topics}


def write_trec(path, run, tag):
    with open(path, "w", encoding="utf-8") as f:
        for qid, r in run.items():
            for rank, h in enumerate(r.hits, 1):
                f.write("%s Q0 %s %d %.6f %s\n" % (qid, h.id, rank, h.score, tag))


def compare(one, other):
    """(queries whose ranking differs, whose total differs, queries with equal-score runs)."""
    from shard_checks import runs, same_ranking
    ranking = totals = tied = 0
    for qid, a in one.items():
        b = other[qid]
        ranking += not same_ranking(a.hits, b.hits)
        totals += a.total != b.total
        tied += any(len(ids) > 1 for _, ids in runs(a.hits, lambda h: h.score))
    return ranking, totals, tied


def interleaved(asks, queries, repeat):
    """{name: latency summary} of ``asks`` ({name: function of a query}), each query asked of every
    one in turn after a warming pass, so that changes in the machine's load fall on all alike."""
    for q in queries:
        for ask in asks.values():
            ask(q)
    times = {name: [] for name in asks}
    for _ in range(repeat):
        for q in queries:
            for name, ask in asks.items():
                t0 = time.perf_counter()
                ask(q)
                times[name].append((time.perf_counter() - t0) * 1000)
    return {name: summarise(t) for name, t in times.items()}


def shard_costs(index_dir, queries, remote=None):
    """The parts of a sharded query's time, all in this process: reading the query on the caller,
    each shard's page and its share of the page's hits (no process between them), and the round
    trip of an empty call to every shard of each of ``remote`` ({name: a search.engine.engine shards object}).
    Returns {part: latency summary}; the per-shard figures are the slowest shard's and the sum."""
    from indexer.shards import shard_dirs
    from search.engine.archive import Archive
    from search.engine.shard import Shard, where
    from search.query.deadline import deadline_in
    from search.query.options import QueryOptions
    from search.views.page import HitsCollector, PageCollector
    dirs = shard_dirs(index_dir)
    archive = Archive(dirs)
    shards = [Shard(d, i, time_limit=60) for i, d in enumerate(dirs)]
    times = {"caller reads the query": [], "slowest shard": [], "all shards": []}
    for n, q in enumerate(list(queries) * 2):     # the first pass warms
        t0 = time.perf_counter()
        prepared = archive.prepare(QueryOptions(text=q), deadline_in(60))
        prep = (time.perf_counter() - t0) * 1000
        if prepared.query is None:
            continue
        work, pages = [], []
        page = PageCollector(prepared, 10, "relevance", 60, keep="k%d" % n)
        for s in shards:
            t0 = time.perf_counter()
            pages.append(page.collect(s))
            work.append((time.perf_counter() - t0) * 1000)
        shown = page.merge(list(enumerate(pages)), [])[0][:10]
        chosen = {}
        for _, i, _, d, score in shown:
            chosen.setdefault(i, []).append((d, score))
        for i, mine in chosen.items():
            t0 = time.perf_counter()
            HitsCollector("k%d" % n, chosen).collect(shards[i])
            work[i] += (time.perf_counter() - t0) * 1000
        if n >= len(queries):
            times["caller reads the query"].append(prep)
            times["slowest shard"].append(max(work))
            times["all shards"].append(sum(work))
    for name, places in (remote or {}).items():
        trips = []
        for _ in range(220):
            t0 = time.perf_counter()
            places.each(where, timeout=60)
            trips.append((time.perf_counter() - t0) * 1000)
        times["empty call to every shard, " + name] = trips[20:]
    for s in shards:
        s.close()
    archive.close()
    return {name: summarise(t) for name, t in times.items()}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index_dir, cluster=None):
    """(process, base URL) of ``akhbar serve`` on ``index_dir``, once it answers."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=REPO)
    cmd = [sys.executable, "-m", "akhbar", "serve", "--index", index_dir, "--port", str(port)]
    if cluster:
        cmd += ["--cluster", cluster]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = "http://127.0.0.1:%d/" % port
    deadline = time.monotonic() + 600
    while True:
        try:
            urllib.request.urlopen(base, timeout=600).read()
            return proc, base
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.terminate()
                raise SystemExit("akhbar serve did not start on %s" % base)
            time.sleep(0.5)


def page_getter(base):
    def get(q):
        urllib.request.urlopen(base + "?" + urllib.parse.urlencode({"q": q}), timeout=600).read()
    return get


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ant", default="/tmp/ant", help="the archive: a folder or a file (ANT by default)")
    ap.add_argument("--work", default="/work/data-cluster", help="where the indexes are built")
    ap.add_argument("--topics", default=DEFAULT_TOPICS)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2, help="local build processes and Dask workers")
    ap.add_argument("--depth", type=int, default=100, help="hits per query in the TREC runs")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--skip-single-build", action="store_true", help="reuse the single index (--single)")
    ap.add_argument("--single", help="the single index to build or reuse (default WORK/single)")
    ap.add_argument("--build", default="single,local,cluster",
                    help="which of single, local, cluster to build (comma-separated); the others are reused")
    ap.add_argument("--no-serve", action="store_true")
    ap.add_argument("--search-only", action="store_true", help="reuse the three indexes in WORK")
    ap.add_argument("--build-only", action="store_true", help="build the three indexes and stop")
    ap.add_argument("--no-trec", action="store_true", help="skip the TREC runs (latency only)")
    ap.add_argument("--no-in-process", action="store_true", help="skip the in-process latency")
    ap.add_argument("--relayed", action="store_true",
                    help="also search the cluster with actor calls relayed by the scheduler (Dask's default)")
    ap.add_argument("--shard-costs", action="store_true",
                    help="time the parts of a sharded query (caller, each shard, round trips) for a model")
    args = ap.parse_args(argv)
    if not os.path.exists(args.ant):
        sys.exit("no archive at %s: unpack ../shared/corpora/ant-v2.1-arabic-news.tar.gz there "
                 "(see ../shared/README.md) or pass --ant" % args.ant)
    from distributed import Client, LocalCluster
    from indexer.build import build_index
    from transport.dask import Dask
    from search.searcher import Searcher, open_searcher

    os.makedirs(args.work, exist_ok=True)
    single, local, dask_ix = (os.path.join(args.work, n) for n in ("single", "local", "cluster"))
    single = args.single or single
    build = set() if args.search_only else set(args.build.split(","))
    if args.skip_single_build:
        build.discard("single")
    print("machine: %s, %d cores; python %s; load %s" % (
        platform.machine(), os.cpu_count(), platform.python_version(), os.getloadavg()), flush=True)
    builds = {}
    if "single" in build:
        builds["one index"] = timed_build("one index", lambda: build_index(
            [args.ant], single, rebuild=True, workers=args.workers))
    if "local" in build:
        shutil.rmtree(local, ignore_errors=True)
        builds["shards, local"] = timed_build("%d shards, local" % args.shards, lambda: build_index(
            [args.ant], local, shards=args.shards, rebuild=True, workers=args.workers))
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, host="127.0.0.1")
    client = Client(cluster, set_as_default=False)
    try:
        if "cluster" in build:
            shutil.rmtree(dask_ix, ignore_errors=True)
            builds["shards, cluster"] = timed_build("%d shards, loopback Dask" % args.shards, lambda: build_index(
                [args.ant], dask_ix, shards=args.shards, rebuild=True,
                transport=Dask(None, client=client, sees=os.path.dirname(os.path.abspath(dask_ix)))), client=client)
        print("load %s" % (os.getloadavg(),), flush=True)
        if args.build_only:
            print(json.dumps({"builds_s": builds}))
            return

        topics = []
        with open(args.topics, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 3:
                    topics.append((parts[0], parts[2]))
        queries = read_queries(args.topics)
        searchers = {"one index": Searcher(single, time_limit=60),
                     "shards, local": Searcher(local, time_limit=60),
                     "shards, cluster": open_searcher(dask_ix, cluster=cluster.scheduler_address)}
        if args.relayed:
            from transport.dask import Dask
            searchers["cluster, relayed"] = Searcher(dask_ix, transport=Dask(cluster.scheduler_address,
                                                                             direct=False))
        runs = {}
        for name, s in ([] if args.no_trec else searchers.items()):
            runs[name] = trec_run(s, topics, args.depth)
            write_trec(os.path.join(args.work, name.replace(", ", "-").replace(" ", "-") + ".trec"),
                       runs[name], name.replace(" ", "_"))
        for name in ([] if args.no_trec else [n for n in searchers if n != "one index"]):
            ranking, totals, tied = compare(runs["one index"], runs[name])
            print("%-16s vs one index: %d of %d queries rank differently, %d differ in total "
                  "(%d queries have runs of equal scores in their first %d)" % (
                      name, ranking, len(topics), totals, tied, args.depth), flush=True)
        if not args.no_in_process:
            asks = {name: (lambda q, s=s: s.search(q, limit=10)) for name, s in searchers.items()}
            for name, r in interleaved(asks, queries, args.repeat).items():
                print("%-16s in-process warm p50 %.1f ms  p95 %.1f ms  (n=%d)" % (name, r["p50"], r["p95"], r["n"]),
                      flush=True)
            print("load %s" % (os.getloadavg(),), flush=True)
        if args.shard_costs:
            remote = {"local processes": searchers["shards, local"].engine.places,
                      "Dask actors": searchers["shards, cluster"].engine.places}
            if args.relayed:
                remote["Dask actors, relayed"] = searchers["cluster, relayed"].engine.places
            for name, r in shard_costs(local, queries, remote).items():
                print("%-44s p50 %.2f ms  p95 %.2f ms  (n=%d)" % (name, r["p50"], r["p95"], r["n"]), flush=True)
        for s in searchers.values():
            s.close()
        if not args.no_serve:
            servers = {}
            try:
                for name, ix, addr in (("one index", single, None), ("shards, local", local, None),
                                       ("shards, cluster", dask_ix, cluster.scheduler_address)):
                    servers[name] = start_server(ix, addr)
                asks = {name: page_getter(base) for name, (_, base) in servers.items()}
                for name, r in interleaved(asks, queries, args.repeat).items():
                    print("%-16s via serve  warm p50 %.1f ms  p95 %.1f ms  (n=%d)" % (
                        name, r["p50"], r["p95"], r["n"]), flush=True)
            finally:
                for proc, _ in servers.values():
                    proc.terminate()
                    proc.wait(timeout=30)
        print("load %s" % (os.getloadavg(),))
        print(json.dumps({"builds_s": builds}))
    finally:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main()
