"""Totals, facets, top 10 and suggestions of every dev query, for comparing two versions.

A change to the engine that must not change its answers is checked by
writing them once with the code before it and once after, then comparing:

    git worktree add /tmp/akhbar-before <commit>
    python bench/compare_answers.py --repo /tmp/akhbar-before --index DIR --out /tmp/before.jsonl
    python bench/compare_answers.py --index DIR --out /tmp/after.jsonl --against /tmp/before.jsonl

Each line of ``--out`` is one query: its total, facets, suggestion and its
top 10 as (id, score, article), the score as ``Searcher.search``'s hits give it
(rounded to 4 places; tests/test_search_scores.py pins full-precision scores
against Whoosh's own).  ``--against`` prints how many queries differ in each respect (scores
compared to ``--tolerance``; "top articles" compares the articles shown,
"top ids" also which copy of a duplicated article stands for it, which
depends on the order of documents in the index and so may differ between
two builds) and exits 1 if any but "top ids" does.  Only the public
``Searcher(index_dir)`` / ``.search(text, limit=...)`` are relied on, so any
two versions can be compared.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_TOPICS = os.path.normpath(os.path.join(REPO, "..", "shared", "eval", "ant-dev.topics.tsv"))


def read_topics(path):
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    return [(r[0], r[2]) for r in rows if len(r) >= 3]


def answers(repo, index_dir, topics, limit=10):
    """One dict per (qid, query): total, facets, suggestion, top ids and scores."""
    sys.path.insert(0, os.path.abspath(repo))
    from search.searcher import Searcher
    s = Searcher(index_dir, time_limit=60)
    out = []
    for qid, text in topics:
        r = s.search(text, limit=limit)
        out.append({"qid": qid, "query": text, "total": r.total, "partial": r.partial,
                    "facets": r.facets, "suggestion": r.suggestion,
                    "top": [[h.id, h.score, article(h)] for h in r.hits]})
    return out


def article(hit):
    """The article a hit shows, named by the smallest id among its copies.

    Which copy of a duplicated article stands for it follows the order of
    documents in the index, which two builds of one archive need not share.
    """
    ids = [hit.id] + [c["id"] if isinstance(c, dict) else c.id for c in hit.also]
    return min(ids)


def differences(mine, theirs, tolerance):
    """{respect: [qid, ...]} of the queries whose answers differ."""
    by_qid = {a["qid"]: a for a in theirs}
    diff = {"missing": [], "top articles": [], "top ids": [], "scores": [], "total": [], "facets": [],
            "suggestion": [], "partial": []}
    for a in mine:
        b = by_qid.get(a["qid"])
        if b is None:
            diff["missing"].append(a["qid"])
            continue
        if [t[2] for t in a["top"]] != [t[2] for t in b["top"]]:
            diff["top articles"].append(a["qid"])
        elif any(abs(x[1] - y[1]) > tolerance for x, y in zip(a["top"], b["top"])):
            diff["scores"].append(a["qid"])
        if [t[0] for t in a["top"]] != [t[0] for t in b["top"]]:
            diff["top ids"].append(a["qid"])
        for key in ("total", "facets", "suggestion", "partial"):
            if a[key] != b[key]:
                diff[key].append(a["qid"])
    return diff


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", required=True, help="an akhbar index of the ANT corpus")
    ap.add_argument("--repo", default=REPO, help="checkout whose code answers (default: this one)")
    ap.add_argument("--topics", default=DEFAULT_TOPICS)
    ap.add_argument("--out", required=True, help="write the answers here (JSON Lines)")
    ap.add_argument("--against", help="answers written by another version, to compare with")
    ap.add_argument("--tolerance", type=float, default=1e-9, help="largest score difference taken as equal")
    args = ap.parse_args(argv)
    if not os.path.exists(args.topics):
        sys.exit("no topics at %s (it lives in ../shared/eval beside the checkout)" % args.topics)
    started = time.perf_counter()
    mine = answers(args.repo, args.index, read_topics(args.topics))
    with open(args.out, "w", encoding="utf-8") as f:
        for a in mine:
            f.write(json.dumps(a, ensure_ascii=False, sort_keys=True) + "\n")
    print("%d queries answered in %.1f s -> %s" % (len(mine), time.perf_counter() - started, args.out))
    if not args.against:
        return 0
    with open(args.against, encoding="utf-8") as f:
        theirs = [json.loads(line) for line in f if line.strip()]
    diff = differences(mine, theirs, args.tolerance)
    for key, qids in diff.items():
        print("%-12s %3d differ%s" % (key, len(qids), (": " + " ".join(qids[:10])) if qids else ""))
    return 1 if any(qids for key, qids in diff.items() if key != "top ids") else 0


if __name__ == "__main__":
    sys.exit(main())
