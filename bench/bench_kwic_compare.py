"""A concordance sorted by the word before, by this checkout's code and by an older commit's, same queries.

    python bench/bench_kwic_compare.py --index /tmp/ant-index --base 8fb73ae [--queries 20]

The older ``search/kwic.py`` is taken from git and run against this
checkout's searcher; for each dev query both make the 100 first lines with
no time limit, alternating, in one process.  Prints the total wall time of
each and whether they counted the same occurrences.
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)
sys.path.insert(0, HERE)

from bench_latency import DEFAULT_TOPICS, read_queries  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--base", required=True, help="The commit whose search/kwic.py is compared.")
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--topics", default=DEFAULT_TOPICS)
    args = parser.parse_args()
    from search.views import kwic as new
    from search.searcher import Searcher
    source = subprocess.run(["git", "-C", REPO, "show", "%s:search/kwic.py" % args.base], capture_output=True,
                            text=True, check=True).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location("search.kwic_base", f.name)
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    os.unlink(f.name)
    from search.query.deadline import deadline_in
    from search.query.options import QueryOptions
    s = Searcher(args.index, time_limit=600)
    s.warm()
    print("load average %s" % " ".join("%.1f" % x for x in os.getloadavg()))
    spent, same = {"base": 0.0, "this": 0.0}, 0
    queries = read_queries(args.topics)[:args.queries]
    for q in queries:
        matched = s.engine.local().match(s.engine.read(QueryOptions(text=q)), deadline_in(600))
        totals = {}
        for name, module in (("base", old), ("this", new)):
            started = time.perf_counter()
            totals[name] = module.concordance(matched, limit=100, sort="left", time_limit=600)["total"]
            spent[name] += time.perf_counter() - started
        same += totals["base"] == totals["this"]
    print("%d queries, no time limit: %s %.1f s, this checkout %.1f s (%.2fx); same occurrence count on %d" % (
        len(queries), args.base, spent["base"], spent["this"], spent["base"] / spent["this"], same))


if __name__ == "__main__":
    main()
