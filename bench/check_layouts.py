"""One index and its shards give the same answers: every view, every layout, the dev queries.

The same archive indexed once as a single index (``--index``) and once in
shards (``--sharded``, e.g. ``akhbar index ARCHIVE --shards 4``) is searched
through every view (results page with totals, facets, suggestion and name
variants; the newest-first page; timeline; concordance by date and by
context; forms; export; similar articles) in each layout:

- ``one index``: the single index, in this process;
- ``shards, in-process``: the shards kept in this process;
- ``shards, local``: one local process per shard;
- ``shards, dask``: actors on a loopback Dask cluster (``--dask``; needs the cluster extra).

Each answer is reduced to what a user sees (timings and ``missing`` left
out) and compared with the single index's.  Two counts per view: answers
that differ at all, and answers that differ once each duplicated article is
named by the smallest id among its copies (which copy stands for an article
is the one place where a layout may legitimately differ; see the note
printed).  Exit status 1 when any answer differs in the second sense.

    python bench/check_layouts.py --index /tmp/ant-ix --sharded /tmp/ant-ix4 --dask
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)
DEFAULT_TOPICS = os.path.normpath(os.path.join(REPO, "..", "shared", "eval", "ant-dev.topics.tsv"))


from bench_latency import read_queries  # noqa: E402  (the dev topics' query texts)


def hit(h):
    return [h.id, h.score, h.date, h.title, h.snippet.text, [c.id for c in h.also]]


def canonical(answer):
    """``answer`` with each article named by the smallest id among its copies, and a concordance's
    lines (whose copy is read depends on which copy stands for the article) as a set."""
    def name(row):
        ids = [row[0]] + list(row[5])
        return [min(ids), row[1], row[2]]
    out = dict(answer)
    if "page" in out:
        out["page"] = out["page"][:5] + [[name(r) for r in out["page"][5]]]
        out["newest"] = [out["newest"][0], [name(r) for r in out["newest"][1]]]
        out["export"] = out["export"][:2] + [[name(r) for r in out["export"][2]]]
    if "similar" in out:
        out["similar"] = [name(r) for r in out["similar"]]
    for view in ("kwic date", "kwic left"):
        if view in out:
            k = dict(out[view])
            k["lines"] = sorted(json.dumps({key: v for key, v in line.items() if key != "id"}, sort_keys=True,
                                           ensure_ascii=False) for line in k["lines"])
            out[view] = k
    return out


EXPORT_ROWS = 100


def answers(searcher, q, kwic_queries):
    """{view: what a user sees of it} for query ``q``."""
    from search.query.options import QueryOptions
    from search.query.syntax import QueryError
    out = {}
    try:
        r = searcher.search(QueryOptions(text=q, limit=100, time_limit=60))
    except QueryError as e:
        return {"error": str(e)}
    out["page"] = [r.total, r.partial, r.facets, r.suggestion, r.expansions, [hit(h) for h in r.hits]]
    newest = searcher.search(QueryOptions(text=q, limit=10, sort="newest", time_limit=60), facets=False,
                             suggestions=False)
    out["newest"] = [newest.total, [hit(h) for h in newest.hits]]
    t = searcher.timeline([q], QueryOptions(time_limit=60), by="month")
    t.pop("missing", None)
    out["timeline"] = t
    if kwic_queries:
        for sort, limit in (("date", 100), ("left", 30)):
            k = searcher.kwic(QueryOptions(text=q, time_limit=60), limit=limit, sort=sort)
            k.pop("missing", None)
            out["kwic " + sort] = k
    words = q.split()
    if words:
        f = searcher.forms(words[0], time_limit=60)
        f.pop("missing", None)
        out["forms"] = f
    export = searcher.export(QueryOptions(text=q, time_limit=60))
    rows = []
    for batch in export.batches():
        rows.extend(hit(h) for h in batch)
        if len(rows) >= EXPORT_ROWS:
            break
    out["export"] = [export.total, export.partial, rows[:EXPORT_ROWS]]
    if r.hits:
        similar = searcher.similar(r.hits[0].id, limit=10) or []
        out["similar"] = [hit(h) for h in similar]
    return out


def layouts(args):
    """[(name, a function that opens the Searcher)] of the layouts asked for (``--no-in-process``
    leaves the shards kept in this process out: tests/test_layouts.py compares them on the sample)."""
    from search.searcher import Searcher
    from transport.inprocess import InProcess
    out = [("one index", lambda: Searcher(args.index, time_limit=60))]
    if not args.no_in_process:
        out.append(("shards, in-process", lambda: Searcher(args.sharded, time_limit=60, transport=InProcess())))
    out.append(("shards, local", lambda: Searcher(args.sharded, time_limit=60)))
    if args.dask:
        out.append(("shards, dask", lambda: _dask_searcher(args)))
    return out


_cluster = {}


def _dask_searcher(args):
    from distributed import LocalCluster
    from search.searcher import Searcher
    from transport.dask import Dask
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           host="127.0.0.1")
    _cluster["cluster"] = cluster
    return Searcher(args.sharded, time_limit=60, transport=Dask(cluster.scheduler_address))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", required=True, help="the archive as one index")
    ap.add_argument("--sharded", required=True, help="the same archive in shards")
    ap.add_argument("--topics", default=DEFAULT_TOPICS)
    ap.add_argument("--queries", type=int, default=300, help="the first N dev queries")
    ap.add_argument("--kwic-queries", type=int, default=100, help="concordances for the first N only")
    ap.add_argument("--dask", action="store_true", help="also search the shards on a loopback Dask cluster")
    ap.add_argument("--no-in-process", action="store_true", help="leave out the shards kept in this process")
    ap.add_argument("--only-dask", action="store_true", help="with --baseline: search the shards on Dask only")
    ap.add_argument("--export-rows", type=int, default=EXPORT_ROWS, help="rows of each export compared")
    ap.add_argument("--out", help="write every layout's answers here (JSON Lines per layout)")
    ap.add_argument("--baseline", help="the one index's answers as an earlier --out wrote them (OUT.one-index.jsonl), "
                                       "instead of asking the one index again")
    args = ap.parse_args(argv)
    if not os.path.exists(args.topics):
        sys.exit("no topics at %s (they live in ../shared/eval beside the checkout)" % args.topics)
    queries = read_queries(args.topics)[:args.queries]
    globals()["EXPORT_ROWS"] = args.export_rows
    print("machine: %d cores, load %s; %d queries" % (os.cpu_count(), os.getloadavg(), len(queries)), flush=True)
    results = {}
    if args.baseline:
        with open(args.baseline, encoding="utf-8") as f:
            base = [json.loads(line)["answers"] for line in f][:len(queries)]
        results["one index"] = [(a, canonical(a)) for a in base]
    for name, opening in layouts(args):
        if name == "one index" and args.baseline or args.only_dask and name != "shards, dask":
            continue
        started = time.perf_counter()
        s = opening()
        try:
            s.warm()
            got = []
            for n, q in enumerate(queries):
                # Compared as the baseline file holds them: as JSON.
                got.append(json.loads(json.dumps(answers(s, q, n < args.kwic_queries), default=str)))
                if (n + 1) % 50 == 0:
                    print("  %s: %d queries, %.0f s" % (name, n + 1, time.perf_counter() - started), flush=True)
            results[name] = [(a, canonical(a)) for a in got]
        finally:
            s.close()
            if "cluster" in _cluster:
                _cluster.pop("cluster").close()
        print("%-20s answered in %.0f s" % (name, time.perf_counter() - started), flush=True)
        if args.out:
            with open("%s.%s.jsonl" % (args.out, name.replace(", ", "-").replace(" ", "-")), "w",
                      encoding="utf-8") as f:
                for q, (exact, _) in zip(queries, results[name]):
                    f.write(json.dumps({"query": q, "answers": exact}, ensure_ascii=False, sort_keys=True,
                                       default=str) + "\n")
    base = results["one index"]
    failed = False
    views = sorted({v for exact, _ in base for v in exact})
    print("\nqueries whose answer differs from one index's (exactly / once copies are named by their smallest id)")
    print("%-20s " % "view" + " ".join("%22s" % n for n in results if n != "one index"))
    for view in views:
        cells = []
        for name, got in results.items():
            if name == "one index":
                continue
            exact = sum(1 for (a, _), (b, _) in zip(base, got) if a.get(view) != b.get(view))
            canon = sum(1 for (_, a), (_, b) in zip(base, got) if a.get(view) != b.get(view))
            failed = failed or canon > 0
            cells.append("%22s" % ("%d / %d" % (exact, canon)))
        print("%-20s " % view + " ".join(cells))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
