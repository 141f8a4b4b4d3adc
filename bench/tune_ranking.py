"""Ranking settings tried on the ANT dev set, in-process, one line each.

    python bench/tune_ranking.py --index /tmp/akhbar-ant [--grid small]

Each setting (the coordination power of free words, the BM25F K1 and B, the
title weights of search.query.ranking) is applied to a fresh ``Searcher`` over the
same index and the 300 dev queries are run through ``Searcher.search``, the
code ``akhbar search --batch`` calls.  This is for choosing; the figure to
record for the chosen setting comes from bench/eval_relevance.py, through the
command line.
"""
import argparse
import os
import sys
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from indexer.store.scoring import bm25f_model  # noqa: E402

import eval_relevance as ev  # noqa: E402
from search.query import ranking  # noqa: E402
from search.searcher import Searcher  # noqa: E402

GRID = [
    # (label, coordination power, K1, B, title_exact, title)
    ("shipped", ranking.COORDINATION_POWER, 1.2, 0.75, 3.0, 2.0),
    ("plain OR", 0.0, 1.2, 0.75, 3.0, 2.0),
    ("coord 0.5", 0.5, 1.2, 0.75, 3.0, 2.0),
    ("coord 2", 2.0, 1.2, 0.75, 3.0, 2.0),
    ("K1 0.8", ranking.COORDINATION_POWER, 0.8, 0.75, 3.0, 2.0),
    ("B 0.5", ranking.COORDINATION_POWER, 1.2, 0.5, 3.0, 2.0),
    ("title 4/3", ranking.COORDINATION_POWER, 1.2, 0.75, 4.0, 3.0),
]


def evaluate(index, topics, qrels, power, k1, b, title_exact, title):
    weights = dict(ranking.WEIGHTS, title_exact=title_exact, title=title)
    with mock.patch.object(ranking, "COORDINATION_POWER", power), \
            mock.patch.dict(ranking.WEIGHTS, weights), \
            mock.patch("search.engine.shard.ranking_model", lambda: bm25f_model(B=b, K1=k1)):
        s = Searcher(index)
        run = {}
        for qid, (_, query) in topics.items():
            res = s.search(query, limit=10, facets=False, suggestions=False, time_limit=60)
            run[qid] = [h.id for h in res.hits]
        s.close()
    return ev.score(topics, qrels, run)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--index", required=True, help="index built from the ANT corpus")
    p.add_argument("--eval-dir", default=ev.DEFAULT_EVAL)
    args = p.parse_args(argv)
    topics_path = os.path.join(args.eval_dir, "ant-dev.topics.tsv")
    if not os.path.exists(topics_path):
        sys.exit("the evaluation set is missing: expected %s (../shared sits beside the checkout)" % topics_path)
    topics = ev.read_topics(topics_path)
    qrels = ev.read_qrels(os.path.join(args.eval_dir, "ant-dev.qrels"))
    for label, power, k1, b, te, t in GRID:
        overall, kinds, _ = evaluate(args.index, topics, qrels, power, k1, b, te, t)
        print("%-10s coord=%.1f K1=%.1f B=%.2f title=%g/%g  MRR@10 %.4f | %s" % (
            label, power, k1, b, te, t, overall,
            " ".join("%s %.3f" % (k, m) for k, (m, _) in kinds.items())), flush=True)


if __name__ == "__main__":
    main()
