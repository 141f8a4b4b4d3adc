"""Runs measured against qrels with ir-measures: ``akhbar.evaluate`` and ``akhbar eval``.

ir-measures computes every measure (its names: ``AP``/``MAP``, ``nDCG@10``,
``RR@10``/``MRR@10``, ``R@100``, ``P@5``...) and reads the qrels; nothing is
measured by hand here.  Two choices are ours, both trec_eval's options:

- A run is taken in its rank order.  akhbar writes scores to four decimals,
  which ties documents the engine ranked apart, and trec_eval would then
  reorder them by docno; so where a run has ranks, each document is given
  the score ``-rank``.
- The mean is over every query of the qrels, a query the run has nothing
  for counting 0 (trec_eval's ``-c``), so a run that finds nothing for a
  query is not scored as if the query had not been asked.
"""
import json
import math
import sys

import click

from search.query.options import DEFAULT_TIME_LIMIT, MAX_LIMIT

from .errors import Error
from .guards import reports_damage
from .options import cluster_option, index_option, json_option, open_searcher, query_options

DEFAULT_MEASURES = "MAP nDCG@10 MRR@10 R@100"
DEFAULT_RUN_LIMIT = 100


class MeasureError(Error, ValueError):
    """A measure ir-measures does not know, or a run or qrels that cannot be read."""


def ir_measures():
    try:
        import ir_measures
    except ImportError as e:
        raise ImportError("evaluation needs ir-measures: pip install 'akhbar[eval]'") from e
    return ir_measures


def measures_of(measures):
    """[(name as given, ir-measures Measure)] of "MAP nDCG@10", "MAP,nDCG@10" or a list of names/Measures."""
    irm = ir_measures()
    if isinstance(measures, str):
        measures = measures.replace(",", " ").split()
    out = []
    for m in measures:
        if not isinstance(m, str):
            out.append((str(m), m))
            continue
        try:
            out.append((m, irm.parse_measure(m)))
        except (ValueError, NameError, TypeError, SyntaxError, KeyError) as e:
            raise MeasureError("unknown measure %s (%s); write them as ir-measures does: MAP nDCG@10 MRR@10 "
                               "R@100 P@5" % (m, e)) from e
    if not out:
        raise MeasureError("no measure given; e.g. --measures \"MAP nDCG@10 MRR@10 R@100\"")
    return out


def largest_cutoff(measures):
    """The largest @k of the measures (None when none has one)."""
    cutoffs = [getattr(m, "params", {}).get("cutoff") for _, m in measures_of(measures)]
    cutoffs = [c for c in cutoffs if c]
    return max(cutoffs) if cutoffs else None


def run_limit(measures):
    """Results per topic a run needs for ``measures``: 100, or their largest cutoff (up to 1,000)."""
    return min(max(DEFAULT_RUN_LIMIT, largest_cutoff(measures) or 0), MAX_LIMIT)


def scored_docs(run):
    """ir-measures ScoredDocs of a run: a DataFrame (qid, docno, score, and rank when it has one), a TREC
    run file, or rows (qid, docno, rank, score); documents with ranks are scored ``-rank``."""
    from .runs import read_run
    irm = ir_measures()
    if isinstance(run, str) or hasattr(run, "__fspath__"):
        rows = read_run(run)
    elif hasattr(run, "columns"):
        if not {"qid", "docno"} <= set(run.columns) or not {"rank", "score"} & set(run.columns):
            raise MeasureError("a run needs the columns qid, docno and rank or score, not %s" % list(run.columns))
        ranks = run["rank"] if "rank" in run.columns else [None] * len(run)
        scores = run["score"] if "score" in run.columns else [0.0] * len(run)
        rows = list(zip(run["qid"], run["docno"], ranks, scores))
    else:
        rows = list(run)
    return [irm.ScoredDoc(str(q), str(d), -float(rank) if rank is not None else float(score))
            for q, d, rank, score in rows]


def qrels_of(qrels):
    """ir-measures Qrels of a TREC qrels file (read by ir-measures), a DataFrame (qid, docno and
    relevance or label) or an iterable of Qrels."""
    irm = ir_measures()
    if isinstance(qrels, str) or hasattr(qrels, "__fspath__"):
        try:
            return list(irm.read_trec_qrels(str(qrels)))
        except (ValueError, IndexError) as e:
            raise MeasureError("%s is not a TREC qrels file (qid 0 docno relevance): %s" % (qrels, e)) from e
    if hasattr(qrels, "columns"):
        label = "relevance" if "relevance" in qrels.columns else "label"
        if not {"qid", "docno", label} <= set(qrels.columns):
            raise MeasureError("qrels need the columns qid, docno and relevance (or label), not %s"
                               % list(qrels.columns))
        return [irm.Qrel(str(q), str(d), int(r)) for q, d, r in zip(qrels["qid"], qrels["docno"], qrels[label])]
    return list(qrels)


def scores(run, qrels, measures=DEFAULT_MEASURES):
    """(names, {qid: {name: value}} for every query of the qrels, {name: mean}); see the module's notes."""
    irm = ir_measures()
    chosen = measures_of(measures)
    names = [name for name, _ in chosen]
    judged = qrels_of(qrels)
    queries = sorted({q.query_id for q in judged})
    by_query = {q: dict.fromkeys(names, 0.0) for q in queries}
    name_of = {}
    for name, m in chosen:
        name_of.setdefault(str(m), []).append(name)
    for metric in irm.iter_calc([m for _, m in chosen], judged, scored_docs(run)):
        if metric.query_id in by_query:
            for name in name_of[str(metric.measure)]:
                by_query[metric.query_id][name] = float(metric.value)
    means = {n: (math.fsum(v[n] for v in by_query.values()) / len(queries) if queries else 0.0) for n in names}
    return names, by_query, means


def evaluate(run, qrels, measures=DEFAULT_MEASURES, per_query=False):
    """The mean of each measure over the queries of ``qrels``: {"MAP": 0.71, "nDCG@10": ...}.

    ``run``: a DataFrame (qid, docno, rank and/or score: ``Archive.run``'s,
    or PyTerrier's), a TREC run file, or (qid, docno, rank, score) rows.
    ``qrels``: a TREC qrels file, a DataFrame (qid, docno, relevance or
    label) or ir-measures Qrels.  ``measures``: ir-measures names, as one
    string or a list.  ``per_query=True`` gives a DataFrame instead: a
    ``qid`` column and one column per measure, a row per query.
    """
    names, by_query, means = scores(run, qrels, measures)
    if not per_query:
        return means
    from .frames import pandas
    pd = pandas()
    return pd.DataFrame([dict(qid=q, **v) for q, v in by_query.items()], columns=["qid"] + names)


def table_lines(names, by_query, means, per_query=False):
    """The means (and each query's figures) as an aligned text table."""
    width = max([len("mean")] + [len(q) for q in by_query] if per_query else [len("mean")])
    head = ["%-*s" % (width, "qid" if per_query else "")] + ["%9s" % n for n in names]
    yield " ".join(head) if per_query else "%-9s %s" % ("measure", "mean")
    if per_query:
        for q, values in by_query.items():
            yield " ".join(["%-*s" % (width, q)] + ["%9.4f" % values[n] for n in names])
        yield " ".join(["%-*s" % (width, "mean")] + ["%9.4f" % means[n] for n in names])
    else:
        for n in names:
            yield "%-9s %.4f" % (n, means[n])


@click.command("eval")
@click.argument("qrels", type=click.Path(exists=True, dir_okay=False))
@click.argument("run_or_topics", type=click.Path(exists=True, dir_okay=False))
@click.option("--measures", default=DEFAULT_MEASURES, show_default=True,
              help="ir-measures names, space-separated (MAP, nDCG@10, MRR@10, R@100, P@5, ...).")
@click.option("--per-query", is_flag=True, help="Also print each query's figures.")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=None,
              help="Results per topic when running a topics file (default %d, or the measures' largest "
                   "cutoff up to %d)." % (DEFAULT_RUN_LIMIT, MAX_LIMIT))
@click.option("--time-limit", type=click.FloatRange(0, 600), default=None, metavar="SECONDS",
              help="Per-topic time limit when running a topics file (default %g)." % DEFAULT_TIME_LIMIT)
@click.option("--save-run", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Also write the run made of a topics file to FILE (TREC format).")
@index_option
@cluster_option
@json_option
@reports_damage
def eval_command(qrels, run_or_topics, measures, per_query, limit, time_limit, save_run, index_dir, cluster,
                 as_json):
    """Measure a run against QRELS with ir-measures and print the means.

    RUN_OR_TOPICS is a TREC run (qid Q0 docno rank score tag) or a topics file
    (qid<TAB>query, or qid<TAB>kind<TAB>query), which is first run on the
    index as akhbar search --batch runs it. Every query of QRELS counts; one
    the run has nothing for counts 0. The run is read in its rank order.
    """
    from .runs import looks_like_run, read_topics, run_rows, trec_lines
    try:
        ir_measures()
        measures_of(measures)
    except (ImportError, MeasureError) as e:
        raise click.ClickException(str(e))
    skipped, command = [], None
    if looks_like_run(run_or_topics):
        run = run_or_topics
    else:
        try:
            topics = read_topics(run_or_topics)
        except ValueError as e:
            raise click.ClickException("%s is neither a TREC run nor a topics file: %s" % (run_or_topics, e))
        searcher = open_searcher(index_dir, cluster=cluster)
        limit = limit or run_limit(measures)
        run = list(run_rows(searcher, topics, limit, query_options("", time_limit=time_limit), skipped))
        command = "%d topics of %s run on %s, %d results each" % (len(topics), run_or_topics, index_dir, limit)
        for qid, why in skipped:
            click.echo("topic %s skipped: %s" % (qid, why), err=True)
        if save_run:
            with open(save_run, "w", encoding="utf-8") as f:
                f.writelines(line + "\n" for line in trec_lines(run))
        run = [row[:4] for row in run]
    try:
        names, by_query, means = scores(run, qrels, measures)
    except (MeasureError, ValueError) as e:
        raise click.ClickException(str(e))
    if as_json:
        out = {"measures": means, "queries": len(by_query), "run": command or run_or_topics,
               "skipped": [q for q, _ in skipped]}
        if per_query:
            out["per_query"] = by_query
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo("%d queries of %s; %s" % (len(by_query), qrels, command or "run " + run_or_topics))
        for line in table_lines(names, by_query, means, per_query):
            click.echo(line)
    if skipped:
        sys.exit(3)
