"""Name variants measured: other-form recall, added precision, and what they cost.

Part 1 (``--index``, one index of ANT plus the multilingual sample): for each
entity and script of ``../shared/eval/names-dev.tsv``, the script's first form
is searched with name variants on and off.

- *Other-form recall*: of the articles that mention the entity only in other
  forms or scripts (not the typed form), the share found with variants on.
- *Added precision*: of the articles found only because of variants (found
  on, not off), the share that mention the entity at all.

Mentions are judged from the article's words as indexed (normalised, so
hamza seats and teh marbuta do not matter): a form counts bare or, in
Arabic, behind a proclitic (و ف ب ل ك and their pairs), and, in Cyrillic,
with a Russian case ending.  Every article matched by a query is counted (not
only the first page).

Part 2 (``--ant-index``, an index of ANT alone): the 300 known-item dev
queries run with variants on and off, alternating query by query so both
see the same machine load: MRR@10 of each, search latency of each, and
whether the run with variants off ranks exactly as ``--baseline-run`` (the
run made before name variants existed).

    python bench/eval_names.py --index /tmp/names-ix --ant-index /tmp/names-ant \\
        --baseline-run /work/baseline/ant-dev.trec
"""
import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, REPO)
sys.path.insert(0, HERE)

from eval_relevance import DEFAULT_EVAL, read_qrels, read_run, read_topics, score  # noqa: E402

from indexer.analysis import normalize_word  # noqa: E402
from indexer.analysis.language import script_of  # noqa: E402
from search.query.variants import PROCLITICS, RUSSIAN_ENDINGS  # noqa: E402

FIELDS = ("title_exact", "body_exact")


def read_names(path):
    """[(entity, script, [forms])] in file order."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            entity, script, forms = line.rstrip("\n").split("\t")
            out.append((entity, script, [x.strip() for x in forms.split(",") if x.strip()]))
    return out


def _docs(reader, term):
    docs = set()
    for f in FIELDS:
        if reader.doc_frequency(f, term):
            docs.update(reader.postings(f, term).all_ids())
    return docs


def mentions(reader, form):
    """Articles whose words include ``form``, with a proclitic or case ending allowed."""
    norm = normalize_word(form)
    terms = {norm}
    script = script_of(norm)
    if script == "arabic":
        terms |= {p + norm for p in PROCLITICS}
    elif script == "cyrillic":
        base = norm[:-1] if norm[-1] in "аяйь" else norm
        for t in reader.expand_prefix("body_exact", base):
            t = t.decode("utf-8") if isinstance(t, bytes) else t
            if t[len(base):] in RUSSIAN_ENDINGS or t == base or t == norm:
                terms.add(t)
    docs = set()
    for t in terms:
        docs |= _docs(reader, t)
    return docs


def matched(searcher_obj, query, variants):
    """Every document the query matches (all of them, not a page)."""
    from search.query.compile import QueryBuilder
    from search.query.syntax import parse
    archive = searcher_obj.engine.archive
    s = searcher_obj.engine.local().searcher()
    builder = QueryBuilder(archive.reader(), variants=archive.names() if variants else None)
    q = builder.build(parse(query)[0])
    return set(q.docs(s)) if q is not None else set()


def names_part(index_dir, names_path):
    from search.searcher import Searcher
    searcher = Searcher(index_dir, time_limit=120)
    reader = searcher.engine.local().searcher().reader()
    rows = read_names(names_path)
    entities = {}
    for entity, script, forms in rows:
        entities.setdefault(entity, []).extend(forms)
    started = time.perf_counter()
    results = []
    for entity, script, forms in rows:
        every = set()
        for form in entities[entity]:
            every |= mentions(reader, form)
        typed = forms[0]
        own = mentions(reader, typed)
        others = every - own
        on, off = matched(searcher, typed, True), matched(searcher, typed, False)
        added = on - off
        recall = len(on & others) / len(others) if others else None
        precision = len(added & every) / len(added) if added else None
        results.append({"entity": entity, "script": script, "typed": typed, "mentioning": len(every),
                        "other_form_only": len(others), "found_on": len(on), "found_off": len(off),
                        "added": len(added), "other_form_recall": recall, "added_precision": precision,
                        "added_not_mentioning": len(added - every)})
    seconds = time.perf_counter() - started
    recalls = [r["other_form_recall"] for r in results if r["other_form_recall"] is not None]
    precisions = [r["added_precision"] for r in results if r["added_precision"] is not None]
    searcher.close()
    return {"rows": results, "mean_other_form_recall": statistics.mean(recalls) if recalls else None,
            "mean_added_precision": statistics.mean(precisions) if precisions else None, "seconds": seconds}


def dev_part(ant_index, eval_dir, baseline_run, repeat, save_runs=None):
    from search.searcher import Searcher
    topics = read_topics(os.path.join(eval_dir, "ant-dev.topics.tsv"))
    qrels = read_qrels(os.path.join(eval_dir, "ant-dev.qrels"))
    searcher = Searcher(ant_index, time_limit=60)
    searcher.warm()
    runs = {True: [], False: []}
    times = {True: [], False: []}
    # One untimed pass warms both paths (tables, variant statistics, caches).
    for qid, (_, query) in sorted(topics.items()):
        for variants in (True, False):
            searcher.search(query, limit=10, facets=False, suggestions=False, variants=variants)
    for rep in range(repeat):
        for i, (qid, (_, query)) in enumerate(sorted(topics.items())):
            # Alternate which goes first, so neither always meets a warmer cache.
            for variants in ((True, False) if (i + rep) % 2 == 0 else (False, True)):
                t = time.perf_counter()
                r = searcher.search(query, limit=10, facets=False, suggestions=False, variants=variants)
                times[variants].append(time.perf_counter() - t)
                if rep == 0:
                    runs[variants].extend("%s Q0 %s %d %.4f akhbar" % (qid, h.id, n, h.score)
                                          for n, h in enumerate(r.hits, 1))
    searcher.close()
    out = {}
    for variants in (True, False):
        mrr, _, ranks = score(topics, qrels, read_run(runs[variants]))
        ts = sorted(times[variants])
        out["variants_on" if variants else "variants_off"] = {
            "mrr@10": round(mrr, 4), "p50_ms": round(1000 * statistics.median(ts), 1),
            "p95_ms": round(1000 * ts[int(0.95 * (len(ts) - 1))], 1),
            "mean_ms": round(1000 * statistics.mean(ts), 1), "not_first": {q: r for q, r in ranks.items() if r != 1}}
    on, off = out["variants_on"], out["variants_off"]
    out["latency_ratio_p50"] = round(on["p50_ms"] / off["p50_ms"], 3)
    out["latency_ratio_mean"] = round(on["mean_ms"] / off["mean_ms"], 3)
    if save_runs:
        for variants in (True, False):
            with open("%s-%s.trec" % (save_runs, "on" if variants else "off"), "w", encoding="utf-8") as f:
                f.write("\n".join(runs[variants]) + "\n")
    if baseline_run:
        with open(baseline_run, encoding="utf-8") as f:
            base_lines = f.read().splitlines()
        base, mine = read_run(base_lines), read_run(runs[False])
        out["baseline_mrr@10"] = round(score(topics, qrels, base)[0], 4)
        out["off_equals_baseline"] = sum(1 for q in topics if base.get(q, []) == mine.get(q, []))
        # Articles of equal score may come in another order in another build of the
        # index (document numbers break ties): compare the scores rank by rank too.
        base_scores, my_scores = _scores(base_lines), _scores(runs[False])
        out["off_scores_equal_baseline"] = sum(1 for q in topics if base_scores.get(q) == my_scores.get(q))
        out["queries"] = len(topics)
    return out


def _scores(lines):
    """{qid: [score by rank]} of a TREC run."""
    out = {}
    for line in lines:
        parts = line.split()
        if len(parts) >= 6:
            out.setdefault(parts[0], []).append((int(parts[3]), parts[4]))
    return {q: [s for _, s in sorted(v)] for q, v in out.items()}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--index", help="one index of ANT plus the multilingual sample (part 1)")
    p.add_argument("--ant-index", help="an index of ANT alone (part 2: dev MRR@10 and latency)")
    p.add_argument("--eval-dir", default=DEFAULT_EVAL, help="folder with names-dev.tsv and the ANT dev set")
    p.add_argument("--baseline-run", help="TREC run of the dev queries made before name variants")
    p.add_argument("--repeat", type=int, default=2, help="timed passes over the dev queries (part 2)")
    p.add_argument("--save-runs", metavar="PREFIX", help="write the dev runs to PREFIX-on.trec and PREFIX-off.trec")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    names_path = os.path.join(args.eval_dir, "names-dev.tsv")
    if not os.path.exists(names_path):
        sys.exit("the evaluation set is missing: expected %s (../shared sits beside the checkout; "
                 "pass --eval-dir)" % names_path)
    if not args.index and not args.ant_index:
        sys.exit("give --index DIR (ANT plus the multilingual sample) and/or --ant-index DIR (ANT alone)")
    report = {}
    if args.index:
        report["names"] = names_part(args.index, names_path)
    if args.ant_index:
        report["dev"] = dev_part(args.ant_index, args.eval_dir, args.baseline_run, args.repeat, args.save_runs)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return
    if "names" in report:
        n = report["names"]
        print("%-8s %-9s %-8s %6s %6s %6s %6s %6s  %7s %9s" % (
            "entity", "script", "typed", "all", "other", "on", "off", "added", "recall", "precision"))
        for r in n["rows"]:
            print("%-8s %-9s %-8s %6d %6d %6d %6d %6d  %7s %9s" % (
                r["entity"], r["script"], r["typed"], r["mentioning"], r["other_form_only"], r["found_on"],
                r["found_off"], r["added"], _f(r["other_form_recall"]), _f(r["added_precision"])))
        print("mean other-form recall %s, mean added precision %s (%.1f s)" % (
            _f(n["mean_other_form_recall"]), _f(n["mean_added_precision"]), n["seconds"]))
    if "dev" in report:
        d = report["dev"]
        for key in ("variants_on", "variants_off"):
            v = d[key]
            print("%-12s MRR@10 %.4f  latency p50 %.1f ms, p95 %.1f ms, mean %.1f ms" % (
                key, v["mrr@10"], v["p50_ms"], v["p95_ms"], v["mean_ms"]))
        print("latency on/off: p50 x%.3f, mean x%.3f" % (d["latency_ratio_p50"], d["latency_ratio_mean"]))
        if "baseline_mrr@10" in d:
            print("baseline run MRR@10 %.4f; variants off ranks as the baseline on %d of %d queries, "
                  "with the same scores rank by rank on %d" % (
                      d["baseline_mrr@10"], d["off_equals_baseline"], d["queries"], d["off_scores_equal_baseline"]))


def _f(x):
    return "-" if x is None else "%.3f" % x


if __name__ == "__main__":
    main()
