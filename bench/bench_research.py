"""Time of the research views over a full index, in-process, for the dev queries.

For each dev query: a timeline by month (``search.views.timeline.timeline``: the
whole result set matched, counted per month beside all articles of the
month) and a concordance (``search.views.kwic.concordance``, 100 lines: sorted by
date, reading stops once they are found; sorted by the words before or
after, every match is read once for its sort key and the 100 lines kept are
built, up to the time limit).  Then ``forms`` of the first word of each
query.  Timeline and date-sorted kwic run a first pass (the queries met for
the first time) and a warm pass, the context sorts one pass; p50/p95/max
are in milliseconds, "partial" counts answers cut by the time limit.

    python bench/bench_research.py --index /tmp/ant-index [--context-queries 100] [--only left right]

With ``--sharded DIR`` (a sharded index of the same articles, searched by one
process per shard) it times instead a timeline by month and a date-sorted
concordance of 100 lines on both indexes, query by query in turn, a first
pass then a warm one, and counts the queries whose answers differ:

    python bench/bench_research.py --index /tmp/ant-index --sharded /tmp/ant-4-shards

The dev topics are ``../shared/eval/ant-dev.topics.tsv`` (beside the checkout).
"""
import argparse
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)
sys.path.insert(0, HERE)

from bench_latency import DEFAULT_TOPICS, read_queries, summarise  # noqa: E402

PARTS = ("timeline", "date", "left", "right", "forms")


def timed(fn, items):
    """[wall ms per call], how many calls said their answer was partial, [CPU ms per call]."""
    times, partial, cpu = [], 0, []
    for item in items:
        started, cpu_started = time.perf_counter(), time.process_time()
        out = fn(item)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        partial += bool(out.get("partial"))
    return times, partial, cpu


def line(name, times, partial, cpu):
    """Wall-clock figures, then CPU ones: on a shared machine the CPU time is what the view costs."""
    s, c = summarise(times), summarise(cpu)
    return "%-28s n=%3d  p50 %8.1f  p95 %8.1f  max %8.1f ms  partial %d  (CPU p50 %.1f  p95 %.1f ms)" % (
        name, s["n"], s["p50"], s["p95"], s["max"], partial, c["p50"], c["p95"])


def print_machine():
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print("machine: %s, %s cores; python %s; commit %s; load average %s" % (
        platform.machine(), os.cpu_count(), platform.python_version(), commit,
        " ".join("%.1f" % x for x in os.getloadavg())), flush=True)


def compare_sharded(args, queries):
    """Timeline and date-sorted kwic on one index and a sharded one, query by query in turn."""
    from search.searcher import Searcher, open_searcher
    one = Searcher(args.index, time_limit=args.time_limit)
    many = open_searcher(args.sharded, time_limit=args.time_limit)
    try:
        started = time.perf_counter()
        one.warm()
        many.warm()
        print("one index %s, %d shards %s; tables loaded in %.1f s" % (
            args.index, len(many.engine), args.sharded, time.perf_counter() - started))
        print_machine()
        views = (("timeline --by month", lambda s, q: s.timeline([q], by="month")),
                 ("kwic --sort date, 100 lines", lambda s, q: s.kwic(q, limit=100, sort="date")))
        for name, view in views:
            for what in ("first", "warm"):
                times = {"one index": [], "shards": []}
                partial, differ = 0, 0
                for q in queries:
                    answers = []
                    for label, s in (("one index", one), ("shards", many)):
                        t = time.perf_counter()
                        answers.append(view(s, q))
                        times[label].append((time.perf_counter() - t) * 1000)
                    answers[1].pop("missing", None)
                    answers[0].pop("missing", None)
                    cut = answers[0]["partial"] or answers[1]["partial"]
                    partial += cut
                    differ += not cut and answers[0] != answers[1]
                a, b = summarise(times["one index"]), summarise(times["shards"])
                for label, t in (("one index", a), ("%d shards" % len(many.engine), b)):
                    print("%-36s %-10s n=%3d  p50 %8.1f  p95 %8.1f  max %8.1f ms" % (
                        name + " (" + what + ")", label, t["n"], t["p50"], t["p95"], t["max"]))
                print("    shards/one: p50 x%.2f, p95 x%.2f; answers differ on %d queries (%d partial, not compared)"
                      % (b["p50"] / a["p50"], b["p95"] / a["p95"], differ, partial), flush=True)
    finally:
        many.close()
        one.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--topics", default=DEFAULT_TOPICS)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--context-queries", type=int, default=300, metavar="N",
                        help="Time kwic --sort left/right on the first N queries only (they read every match).")
    parser.add_argument("--only", nargs="+", choices=PARTS, default=PARTS,
                        help="Time only these views (a run per part keeps each run short).")
    parser.add_argument("--sharded", metavar="DIR", help="Compare with this sharded index of the same articles.")
    parser.add_argument("--queries", type=int, default=300, metavar="N", help="Use the first N dev queries.")
    args = parser.parse_args()
    if not os.path.exists(args.topics):
        sys.exit("no dev topics at %s (they live in ../shared/eval beside the checkout)" % args.topics)
    from indexer.analysis import tokens
    from search.query.deadline import deadline_in
    from search.query.options import QueryOptions
    from search.searcher import Searcher
    from search.views.kwic import concordance

    queries = read_queries(args.topics)[:args.queries]
    if args.sharded:
        return compare_sharded(args, queries)
    searcher = Searcher(args.index, time_limit=args.time_limit)
    started = time.perf_counter()
    searcher.warm()
    print("index %s: %d documents; tables loaded in %.1f s" % (
        args.index, searcher.engine.local().table().size, time.perf_counter() - started))
    print_machine()

    def result_set(q):
        """The whole result set of ``q`` in the single index (what the concordance reads)."""
        return searcher.engine.local().match(searcher.engine.read(QueryOptions(text=q)), deadline_in(args.time_limit))

    def chart(q):
        return searcher.timeline([q], by="month")

    def kwic(sort):
        def run(q):
            matched = result_set(q)
            return concordance(matched, limit=100, sort=sort, time_limit=args.time_limit)
        return run

    sizes = sorted(result_set(q).total for q in queries)
    print("matches per query: median %d, p95 %d, max %d" % (
        sizes[len(sizes) // 2], sizes[int(0.95 * (len(sizes) - 1))], sizes[-1]))
    for part, name, fn in (("timeline", "timeline --by month", chart), ("date", "kwic --sort date", kwic("date"))):
        if part not in args.only:
            continue
        first = timed(fn, queries)
        warm = timed(fn, queries)
        print(line(name + " (first)", *first), flush=True)
        print(line(name + " (warm)", *warm), flush=True)
    # Sorting by context reads every match, up to the time limit: one pass.
    for sort in ("left", "right"):
        if sort in args.only and args.context_queries > 0:
            print(line("kwic --sort %s (one pass)" % sort, *timed(kwic(sort), queries[:args.context_queries])),
                  flush=True)
    if "forms" in args.only:
        words = [tokens(q)[0] for q in queries if tokens(q)]
        print(line("forms WORD", *timed(lambda w: searcher.forms(w), words)))


if __name__ == "__main__":
    main()
