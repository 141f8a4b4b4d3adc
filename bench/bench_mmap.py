"""What reading segments instead of memory-mapping them costs a search.

``indexer.store.reading.open_for_search`` opens segment files without mmap so
that a segment truncated under a running server fails a request instead of
killing the process with SIGBUS.  This compares the two ways of opening, in
one run on one index: two Searchers, one per way, answer the dev queries in
alternating passes (mapped, read, mapped, read...), so machine load falls on
both alike.  The first pass of each is reported apart (cold tables and
caches); the later passes give the warm figures.

    python bench/bench_mmap.py --index /tmp/ant-index --passes 3
"""
import argparse
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from bench_latency import DEFAULT_TOPICS, read_queries, summarise  # noqa: E402


def searcher(index_dir, mmap):
    """A Searcher whose index files are memory-mapped or not."""
    import indexer.build as build
    from indexer.store.reading import ReadIndex
    from search.searcher import Searcher
    from whoosh.filedb.filestore import FileStorage

    shipped = build.open_for_search
    build.open_for_search = lambda path: ReadIndex(FileStorage(path, readonly=True, supports_mmap=mmap))
    try:
        return Searcher(index_dir, time_limit=30)
    finally:
        build.open_for_search = shipped


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--topics", default=DEFAULT_TOPICS)
    ap.add_argument("--passes", type=int, default=3, help="passes per way, the first one cold")
    args = ap.parse_args()
    queries = read_queries(args.topics)
    ways = {"mmap": searcher(args.index, True), "read": searcher(args.index, False)}
    times = {w: [[] for _ in range(args.passes)] for w in ways}
    for n in range(args.passes):
        for way, s in ways.items():
            for q in queries:
                t0 = time.perf_counter()
                s.search(q, limit=10)
                times[way][n].append((time.perf_counter() - t0) * 1000)
    print("%s, Python %s, %d queries, %d passes per way, load %.1f" % (
        platform.platform(), platform.python_version(), len(queries), args.passes, os.getloadavg()[0]))
    for way in ways:
        cold = summarise(times[way][0])
        warm = summarise([t for p in times[way][1:] for t in p])
        print("%-5s cold p50 %6.1f p95 %6.1f mean %6.1f | warm p50 %6.1f p95 %6.1f mean %6.1f ms" % (
            way, cold["p50"], cold["p95"], cold["mean"], warm["p50"], warm["p95"], warm["mean"]))


if __name__ == "__main__":
    main()
