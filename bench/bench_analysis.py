"""Analysis throughput over the ANT corpus, beside a bare regex tokenizer, in one run.

    python bench/bench_analysis.py [--ant /tmp/ant] [--every N] [--repeat R]

Reads every ANT file's TITLE and TEXT into memory first (reading is not
timed), then times, over the same strings and in the same process:

- ``regex``: ``re.findall(r"\\w+", text)``, the least any tokenizer can do;
- ``tokens``: akhbar's tokenizer alone;
- ``analysis``: what the indexer does per article: language detection, then
  exact and stem terms of the title and the body (``index_terms``), with the
  memo caches cold at the start of the first pass (as in a fresh ``akhbar index``).

MB/s is UTF-8 megabytes of title+body text per second of CPU time
(``time.process_time``, less sensitive than wall time to other jobs on a
shared machine).  The ratio ``regex / analysis`` is the figure to compare
between machines.
"""
import argparse
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from indexer.analysis import detect_language, index_terms, tokens  # noqa: E402
from corpora import add_corpus_options, require_corpora  # noqa: E402

_TAG = {name: re.compile(r"<%s>(.*?)</%s>" % (name, name), re.S) for name in ("TITLE", "TEXT")}
BARE = re.compile(r"\w+")


def load(root, every):
    texts = []
    paths = sorted(os.path.join(d, f) for d, _, files in os.walk(root) for f in files)
    for i, path in enumerate(paths):
        if i % every:
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            raw = f.read()
        parts = []
        for name in ("TITLE", "TEXT"):
            m = _TAG[name].search(raw)
            parts.append(m.group(1).strip() if m else "")
        texts.append(tuple(parts))
    return texts


def timed(fn, texts):
    start = time.process_time()
    fn(texts)
    return time.process_time() - start


def bare_regex(texts):
    for title, body in texts:
        BARE.findall(title)
        BARE.findall(body)


def tokenizer(texts):
    for title, body in texts:
        tokens(title)
        tokens(body)


def analysis(texts):
    for title, body in texts:
        lang = detect_language(title + "\n" + body[:4000])
        index_terms(title, lang)
        index_terms(body, lang)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_corpus_options(p, "ant")
    p.add_argument("--every", type=int, default=1, help="use every Nth file (default: all)")
    p.add_argument("--repeat", type=int, default=1, help="passes of each kind (the best is kept)")
    args = p.parse_args(argv)
    require_corpora(args, "ant")
    texts = load(args.ant, max(1, args.every))
    mb = sum(len(t.encode("utf-8")) + len(b.encode("utf-8")) for t, b in texts) / 1e6
    print("%d articles, %.1f MB of title+body text" % (len(texts), mb))
    best = {}
    for _ in range(max(1, args.repeat)):
        for name, fn in (("regex", bare_regex), ("tokens", tokenizer), ("analysis", analysis)):
            best[name] = min(best.get(name, float("inf")), timed(fn, texts))
    for name in ("regex", "tokens", "analysis"):
        print("%-9s %7.2f s CPU  %7.1f MB/s" % (name, best[name], mb / best[name]))
    print("analysis is %.1fx the bare regex pass" % (best["analysis"] / best["regex"]))


if __name__ == "__main__":
    main()
