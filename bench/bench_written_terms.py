"""CPU cost of the ``written`` field's analysis beside the exact/stem analysis, over an index's stored articles.

    python bench/bench_written_terms.py --index /tmp/ant-index

Reads every stored article's title, abstract and body, then times
``indexer.analysis.marks.written_terms`` and ``indexer.analysis.index_terms``
over them, one pass each in that order (their caches start cold), and prints
the number of terms each gives.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from indexer.analysis import index_terms  # noqa: E402
from indexer.analysis.marks import written_terms  # noqa: E402
from search.searcher import Searcher  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", required=True)
    args = parser.parse_args()
    s = Searcher(args.index).engine.local().searcher()
    texts = []
    for d in range(s.doc_count_all()):
        f = s.stored_fields(d)
        texts.append("\n".join((f.get("title_text") or "", f.get("abstract") or "", f.get("body_text") or "")))
    for name, fn in (("written_terms", lambda x: written_terms(x)), ("index_terms", lambda x: index_terms(x, "ar")[0])):
        started = time.process_time()
        n = sum(len(fn(x)) for x in texts)
        print("%d articles: %s %.2f s CPU, %d terms" % (len(texts), name, time.process_time() - started, n))


if __name__ == "__main__":
    main()
