"""Search latency over a full index, in-process, beside tantivy-py as a reference.

For each dev query it times one complete ``Searcher.search`` call as the
command line and the page make it: parsing, matching, ranking, the exact total,
facets by source, language and month over the whole result set, duplicate
collapsing and snippets for the first page of 10.  The first pass over the 300
queries is reported on its own (each query met for the first time), then
``--repeat`` further passes give the warm figures; p50/p95/mean/max are over
all calls of a pass group.

Beside it, in the same run, tantivy-py indexes the same articles (taken from
the akhbar index's stored title and body, so both engines see identical text)
with its default tokenizer and answers the same queries: top 10 with an exact
count, stored documents, a body snippet and term aggregations on source,
language and month.

    python bench/bench_latency.py --index /tmp/search-ant
    python bench/bench_latency.py --index /tmp/search-ant --no-tantivy --profile

The dev topics are ``../shared/eval/ant-dev.topics.tsv`` (beside the checkout).
"""
import argparse
import cProfile
import json
import os
import platform
import pstats
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)
DEFAULT_TOPICS = os.path.normpath(os.path.join(REPO, "..", "shared", "eval", "ant-dev.topics.tsv"))


def read_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                out.append(parts[2])
    return out


def summarise(times_ms):
    times = sorted(times_ms)

    def pct(p):
        return times[min(len(times) - 1, int(round(p / 100.0 * (len(times) - 1))))]
    return {"n": len(times), "p50": pct(50), "p95": pct(95), "mean": statistics.fmean(times), "max": times[-1]}


CPU_TIMES = {}      # label -> (first pass, repeated passes) CPU-time summaries of the last time_calls


def time_calls(fn, queries, repeat, label=None):
    """(first pass, repeated passes): latency summaries in ms.

    The first pass meets each query for the first time (akhbar's per-term
    score cache holds only what earlier queries left); the repeated passes
    are the warm figures.  The process's CPU time per call is summarised too
    (into CPU_TIMES[label]): on a machine shared with other jobs it says what
    a call costs, where the wall time also counts the waiting for a core.
    """
    first, times, first_cpu, cpu = [], [], [], []
    for rnd in range(repeat + 1):
        for q in queries:
            t0, c0 = time.perf_counter(), time.process_time()
            fn(q)
            (first if rnd == 0 else times).append((time.perf_counter() - t0) * 1000)
            (first_cpu if rnd == 0 else cpu).append((time.process_time() - c0) * 1000)
    if label:
        CPU_TIMES[label] = (summarise(first_cpu), summarise(cpu))
    return summarise(first), summarise(times)


def akhbar_runner(index_dir):
    from search.searcher import Searcher
    s = Searcher(index_dir, time_limit=30)

    def run(q, **kw):
        return s.search(q, limit=10, **kw)
    return s, run


def check_ranking(searcher, queries):
    """(queries whose top 10 or its scores differ, whose total differs) from Whoosh's own collector."""
    from search.query.compile import QueryBuilder
    from search.query.syntax import parse
    shard = searcher.engine.local()
    ws, table = shard.searcher(), shard.table()
    top_differs = total_differs = 0
    for q in queries:
        # Whoosh is given the query as parsed, without name variants, so the
        # searcher is asked for the same.
        r = searcher.search(q, limit=10, facets=False, suggestions=False, variants=False)
        tree, _ = parse(q)
        wq_ = QueryBuilder(ws.reader()).build(tree)
        if wq_ is None:
            continue
        whoosh_hits = ws.search(wq_, limit=60)
        score_of = {h.docnum: h.score for h in whoosh_hits}
        ref = table.collapse([h.docnum for h in whoosh_hits])[:10]
        top_differs += (ref != [ws.document_number(id=h.id) for h in r.hits]
                        or [round(score_of[d], 4) for d in ref] != [h.score for h in r.hits])
        total_differs += len(table.distinct(ws.docs_for_query(wq_))) != r.total
    return top_differs, total_differs


def rss_mb():
    """Resident memory of this process now, MB: "total (private + mapped files)".

    Private is the process's own (anonymous) memory; mapped files are the
    index's pages read through its memory maps, which the OS shares and can
    drop at will.
    """
    found = {}
    try:
        with open("/proc/self/status") as f:
            for line in f:
                key = line.split(":")[0]
                if key in ("VmRSS", "RssAnon", "RssFile"):
                    found[key] = round(int(line.split()[1]) / 1024)
    except OSError:
        return None
    return "%s (%s private + %s mapped files)" % (found.get("VmRSS"), found.get("RssAnon"), found.get("RssFile"))


def _commit():
    import subprocess
    done = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() or None


def build_tantivy(searcher, path):
    """A tantivy index of the akhbar index's articles (reused when present)."""
    import tantivy
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("title", stored=True)
    sb.add_text_field("body", stored=True)
    for name in ("source", "lang", "month"):
        sb.add_text_field(name, stored=False, fast=True, tokenizer_name="raw")
    schema = sb.build()
    done = os.path.join(path, "akhbar-bench-complete")
    if os.path.exists(done):
        return tantivy.Index(schema, path=path, reuse=True), 0.0
    os.makedirs(path, exist_ok=True)
    index = tantivy.Index(schema, path=path, reuse=False)
    t0 = time.perf_counter()
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    table = searcher.engine.local().table()
    ws = searcher.engine.local().searcher()
    for docnum, stored in ws.reader().iter_docs():
        writer.add_document(tantivy.Document(
            id=stored["id"], title=stored.get("title_text") or "", body=stored.get("body_text") or "",
            source=(table.sources(docnum) or ("",))[0], lang=table.lang(docnum) or "",
            month=table.month(docnum) or ""))
    writer.commit()
    writer.wait_merging_threads()
    open(done, "w").close()
    index.reload()
    return index, time.perf_counter() - t0


def tantivy_runner(index):
    import tantivy
    searcher = index.searcher()
    agg = {name: {"terms": {"field": name, "size": 20}} for name in ("source", "lang", "month")}

    def run(q):
        query, _errors = index.parse_query_lenient(q, ["title", "body"])
        result = searcher.search(query, 10, count=True)
        gen = tantivy.SnippetGenerator.create(searcher, query, index.schema, "body")
        for _score, address in result.hits:
            doc = searcher.doc(address)
            gen.snippet_from_doc(doc).to_html()
        searcher.aggregate(query, agg)
        return result
    return run


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", required=True, help="akhbar index of the ANT corpus")
    ap.add_argument("--topics", default=DEFAULT_TOPICS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tantivy-index", default="/tmp/search-tantivy")
    ap.add_argument("--no-tantivy", action="store_true")
    ap.add_argument("--profile", action="store_true", help="print the top functions of one timed pass")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--check-ranking", action="store_true",
                    help="also compare every top 10 and total with Whoosh's own collector")
    args = ap.parse_args(argv)
    if not os.path.exists(args.topics):
        sys.exit("no topics at %s (it lives in ../shared/eval beside the checkout)" % args.topics)
    queries = read_queries(args.topics)

    report = {"machine": "%s, %s, %d cpu, Python %s" % (platform.node(), platform.processor() or platform.machine(),
                                                        os.cpu_count(), platform.python_version()),
              "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "queries": len(queries),
              "repeat": args.repeat}
    report["commit"] = _commit()
    report["load_before"] = os.getloadavg()[0]
    report["rss_before_open_mb"] = rss_mb()
    t0 = time.perf_counter()
    s, run = akhbar_runner(args.index)
    s.warm()
    report["akhbar_open_and_warm_s"] = round(time.perf_counter() - t0, 3)
    report["rss_after_open_mb"] = rss_mb()
    report["articles"] = s.stats()["articles"]
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for q in queries:
            run(q)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    report["akhbar_first_pass"], report["akhbar_warm"] = time_calls(run, queries, args.repeat, "akhbar")
    report["akhbar_first_pass_cpu"], report["akhbar_warm_cpu"] = CPU_TIMES["akhbar"]
    _, report["akhbar_warm_no_facets_no_suggest"] = time_calls(
        lambda q: run(q, facets=False, suggestions=False), queries, args.repeat)
    results = [run(q) for q in queries]
    report["searches_done"] = len(queries) * (2 * (args.repeat + 1) + 1)
    report["rss_after_searches_mb"] = rss_mb()
    report["load_after"] = os.getloadavg()[0]
    report["akhbar_partial"] = sum(r.partial for r in results)
    report["akhbar_mean_total"] = round(statistics.fmean(r.total for r in results))
    report["akhbar_suggestions"] = sum(1 for r in results if r.suggestion)
    if args.check_ranking:
        report["top10_differs_from_whoosh"], report["total_differs_from_whoosh"] = check_ranking(s, queries)
    if not args.no_tantivy:
        index, build_s = build_tantivy(s, args.tantivy_index)
        report["tantivy_build_s"] = round(build_s, 1)
        report["tantivy_first_pass"], report["tantivy_warm"] = time_calls(
            tantivy_runner(index), queries, args.repeat)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return
    for key, value in report.items():
        if isinstance(value, dict):
            print("%-34s n=%d  p50 %.1f ms  p95 %.1f ms  mean %.1f ms  max %.1f ms" % (
                key, value["n"], value["p50"], value["p95"], value["mean"], value["max"]))
        else:
            print("%-34s %s" % (key, value))


if __name__ == "__main__":
    main()
