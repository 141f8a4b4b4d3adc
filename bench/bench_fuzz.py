"""The worst a query can cost: time and memory of searches over the fuzz corpus.

    python bench/bench_fuzz.py --index /tmp/web-ant [--examples 200] [--time-limit 5]

Searches, in one process, the hostile queries of bench_isolation.py and
``--examples`` queries drawn (derandomized, so every run draws the same ones)
from the hypothesis strategies of tests/query_strategies.py: operators in
both languages, fields, three kinds of quotes, dates, ``*`` and ``~``, Arabic
letters with marks and direction marks, long words and many words.  Each
query is searched twice: once timed, once under tracemalloc for its peak of
Python and numpy allocations.  Prints the slowest and the hungriest queries,
and the resident size of the process at the end.
"""
import argparse
import os
import resource
import sys
import time
import tracemalloc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]

from hypothesis import HealthCheck, given, settings  # noqa: E402

from bench_isolation import HOSTILE  # noqa: E402
from query_strategies import queries  # noqa: E402
from search.searcher import Searcher  # noqa: E402
from search.query.syntax import QueryError  # noqa: E402


def measure(searcher, q, time_limit):
    """(seconds, peak bytes, outcome) of one search."""
    started = time.perf_counter()
    try:
        r = searcher.search(q, time_limit=time_limit)
        outcome = "%d%s" % (r.total, " partial" if r.partial else "")
    except QueryError:
        outcome = "QueryError"
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        try:
            searcher.search(q, time_limit=time_limit)
        except QueryError:
            pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return seconds, peak, outcome


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", required=True)
    ap.add_argument("--examples", type=int, default=200)
    ap.add_argument("--time-limit", type=float, default=5.0)
    args = ap.parse_args()
    searcher = Searcher(args.index)
    started = time.perf_counter()
    searcher.warm()
    print("index %s opened and warmed in %.1f s; load %s" % (
        args.index, time.perf_counter() - started, " ".join("%.1f" % x for x in os.getloadavg())))
    drawn = []

    @settings(max_examples=args.examples, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(q=queries)
    def draw(q):
        drawn.append(q)

    draw()
    rows = [(q,) + measure(searcher, q, args.time_limit) for q in HOSTILE + drawn]
    over = [r for r in rows if r[1] > args.time_limit + 1.0]
    print("%d queries (%d hostile, %d drawn), time limit %.1f s" % (
        len(rows), len(HOSTILE), len(drawn), args.time_limit))
    print("slowest:")
    for q, seconds, peak, outcome in sorted(rows, key=lambda r: -r[1])[:5]:
        print("  %7.0f ms %7.1f MB  %-16s %r" % (seconds * 1000, peak / 2**20, outcome, q[:70]))
    print("most memory:")
    for q, seconds, peak, outcome in sorted(rows, key=lambda r: -r[2])[:5]:
        print("  %7.0f ms %7.1f MB  %-16s %r" % (seconds * 1000, peak / 2**20, outcome, q[:70]))
    print("worst time %.0f ms, worst peak allocation %.1f MB, %d over the limit + 1 s; "
          "resident %.0f MB at the end; load %s" % (
              max(r[1] for r in rows) * 1000, max(r[2] for r in rows) / 2**20, len(over),
              resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
              " ".join("%.1f" % x for x in os.getloadavg())))
    searcher.close()
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
