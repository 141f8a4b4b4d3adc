"""MRR@10 of akhbar on the ANT known-item dev set, overall and per query kind.

The run is produced exactly as a user would produce it:

    akhbar search --index DIR --batch QUERIES --format trec --limit 10

and scored against ``../shared/eval/ant-dev.qrels`` (``../shared`` sits beside
the repository checkout; it is not part of it) with ir-measures, through
akhbar.evaluation (``pip install -e '.[eval]'``): ``akhbar eval
../shared/eval/ant-dev.qrels ../shared/eval/ant-dev.topics.tsv`` gives the
same MRR@10.  Usage:

    python bench/eval_relevance.py --index /tmp/rel-ant
    python bench/eval_relevance.py --run run.trec        # score an existing run
    python bench/eval_relevance.py --index DIR --misses  # list queries not ranked first

ANT article ids are their DOCNOs, which is what the qrels name.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)
DEFAULT_EVAL = os.path.normpath(os.path.join(REPO, "..", "shared", "eval"))
CUTOFF = 10


def read_topics(path):
    """{qid: (kind, query)} from a ``qid<TAB>kind<TAB>query`` file."""
    topics = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3 and parts[0]:
                topics[parts[0]] = (parts[1], parts[2])
    return topics


def read_qrels(path):
    """{qid: set of relevant docnos} from a TREC qrels file."""
    qrels = defaultdict(set)
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 4 and int(parts[3]) > 0:
                qrels[parts[0]].add(parts[2])
    return qrels


def read_run(lines):
    """{qid: [docno by rank]} from TREC run lines ``qid Q0 docno rank score tag``."""
    run = defaultdict(list)
    for line in lines:
        parts = line.split()
        if len(parts) >= 6 and parts[1] == "Q0":
            run[parts[0]].append((int(parts[3]), parts[2]))
    return {qid: [d for _, d in sorted(ranked)] for qid, ranked in run.items()}


def reciprocal_ranks(qrels, run, cutoff=CUTOFF):
    """{qid: RR@cutoff} of every judged query, computed by ir-measures (akhbar.evaluate's
    scores: the run taken in its rank order, a query without results counting 0)."""
    from akhbar.evaluation import scores
    from ir_measures import Qrel
    judged = [Qrel(qid, docno, 1) for qid, docnos in qrels.items() for docno in sorted(docnos)]
    rows = [(qid, docno, rank, 0.0) for qid, ranked in run.items() for rank, docno in enumerate(ranked, 1)]
    name = "RR@%d" % cutoff
    _, by_query, _ = scores(rows, judged, [name])
    return {qid: values[name] for qid, values in by_query.items()}


def score(topics, qrels, run):
    """(overall MRR, {kind: (MRR, n)}, {qid: (rank or None)})."""
    rrs = reciprocal_ranks(qrels, run)
    by_kind = defaultdict(list)
    ranks = {}
    for qid, (kind, _) in sorted(topics.items()):
        rr = rrs.get(qid, 0.0)
        by_kind[kind].append(rr)
        ranks[qid] = round(1 / rr) if rr else None
    every = [rr for rrs in by_kind.values() for rr in rrs]
    overall = sum(every) / len(every) if every else 0.0
    return overall, {k: (sum(v) / len(v), len(v)) for k, v in sorted(by_kind.items())}, ranks


def make_run(index_dir, topics, akhbar_cmd, time_limit):
    """Run every topic through ``akhbar search --batch``; returns (command, run lines)."""
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as f:
        for qid, (_, query) in sorted(topics.items()):
            f.write("%s\t%s\n" % (qid, query))
        batch = f.name
    cmd = akhbar_cmd + ["search", "--index", index_dir, "--batch", batch, "--format", "trec",
                        "--limit", str(CUTOFF), "--time-limit", str(time_limit)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8")
    finally:
        os.unlink(batch)
    if done.returncode != 0:
        sys.exit("akhbar search failed (%d):\n%s" % (done.returncode, done.stderr.strip()))
    if done.stderr.strip():
        print(done.stderr.strip(), file=sys.stderr)
    return cmd, done.stdout.splitlines()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--index", help="index built from the ANT corpus (runs akhbar search --batch)")
    p.add_argument("--run", help="score this TREC run file instead of running akhbar")
    p.add_argument("--eval-dir", default=DEFAULT_EVAL, help="folder with ant-dev.topics.tsv and ant-dev.qrels")
    p.add_argument("--akhbar", default=None, help="akhbar command (default: this Python's -m akhbar)")
    p.add_argument("--time-limit", type=float, default=60.0,
                   help="per-query time limit passed to akhbar (default 60 s: the ranking is measured, "
                        "not the machine's load; a busy shared machine can exceed the 5 s default)")
    p.add_argument("--save-run", help="also write the run to this file")
    p.add_argument("--misses", action="store_true", help="list every query whose article is not first")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)

    topics_path = os.path.join(args.eval_dir, "ant-dev.topics.tsv")
    qrels_path = os.path.join(args.eval_dir, "ant-dev.qrels")
    if not (os.path.exists(topics_path) and os.path.exists(qrels_path)):
        sys.exit("the evaluation set is missing: expected %s and %s\n(../shared sits beside the "
                 "repository checkout and is not part of it; pass --eval-dir)" % (topics_path, qrels_path))
    if not args.index and not args.run:
        sys.exit("give --index DIR (an index of the ANT corpus) or --run FILE")
    topics, qrels = read_topics(topics_path), read_qrels(qrels_path)

    if args.run:
        command = None
        with open(args.run, encoding="utf-8") as f:
            lines = f.read().splitlines()
    else:
        akhbar_cmd = args.akhbar.split() if args.akhbar else [sys.executable, "-m", "akhbar"]
        command, lines = make_run(args.index, topics, akhbar_cmd, args.time_limit)
    if args.save_run:
        with open(args.save_run, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    overall, kinds, ranks = score(topics, qrels, read_run(lines))
    if args.json:
        print(json.dumps({"mrr@10": round(overall, 4), "queries": len(topics),
                          "kinds": {k: {"mrr@10": round(m, 4), "queries": n} for k, (m, n) in kinds.items()},
                          "command": command and " ".join(command),
                          "not_first": {q: r for q, r in ranks.items() if r != 1}},
                         ensure_ascii=False, indent=2))
        return
    if command:
        print("run: %s" % " ".join(command))
    print("%-18s %7s %5s" % ("kind", "MRR@10", "n"))
    for kind, (m, n) in kinds.items():
        print("%-18s %7.4f %5d" % (kind, m, n))
    print("%-18s %7.4f %5d" % ("overall", overall, len(topics)))
    if args.misses:
        for qid, r in ranks.items():
            if r != 1:
                kind, query = topics[qid]
                print("%s\t%s\t%s\t%s" % (qid, kind, r or "-", query))


if __name__ == "__main__":
    main()
