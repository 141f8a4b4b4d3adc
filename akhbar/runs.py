"""Runs: topics in, ranked documents out, as ``akhbar search --batch`` makes them.

A run is rows of (qid, docno, rank, score, query), rank 1 first, as in a
TREC run file.  Topics are (qid, query) pairs: a DataFrame with ``qid`` and
``query`` columns, an iterable of pairs, or a file of ``qid<TAB>query``
lines (``qid<TAB>kind<TAB>query`` too: the query is the last column).
"""
import os


def search_topic(searcher, query, limit, options):
    """The first ``limit`` results of one topic, searched as ``search --batch`` searches each line."""
    return searcher.search(options.but(text=query, page=1, limit=limit), facets=False, suggestions=False)


def read_topics(path):
    """[(qid, query)] of a topics file: ``qid<TAB>query`` or ``qid<TAB>kind<TAB>query`` lines."""
    topics = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2 or not parts[0]:
                raise ValueError("%s line %d: expected qid<TAB>query" % (path, lineno))
            topics.append((parts[0], parts[-1]))
    return topics


def topic_pairs(topics):
    """[(qid, query)] of a DataFrame with qid and query columns, a file path, or an iterable of pairs."""
    if isinstance(topics, (str, os.PathLike)):
        return read_topics(topics)
    columns = getattr(topics, "columns", None)
    if columns is not None:
        if "qid" not in columns or "query" not in columns:
            raise ValueError("topics need the columns qid and query (PyTerrier's names), not %s" % list(columns))
        return [(str(q), str(t)) for q, t in zip(topics["qid"], topics["query"])]
    return [(str(q), str(t)) for q, t in topics]


def run_rows(searcher, topics, limit, options, skipped=None):
    """(qid, docno, rank, score, query) of every topic's results, topic by topic.

    A topic that cannot be searched is left out, as ``search --batch`` leaves
    its line out; ``skipped``, a list, receives (qid, why).
    """
    from search.query.syntax import QueryError
    for qid, query in topics:
        try:
            results = search_topic(searcher, query, limit, options)
        except (QueryError, ValueError, OverflowError) as e:
            if skipped is not None:
                skipped.append((qid, str(e)))
            continue
        for rank, hit in enumerate(results.hits, 1):
            yield qid, hit.id, rank, float(hit.score), query


def looks_like_run(path):
    """Whether ``path`` is a TREC run (``qid Q0 docno rank score tag`` lines) rather than topics."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            if "\t" in line.strip() and len(line.split("\t")) < 6:
                return False
            parts = line.split()
            if len(parts) != 6:
                return False
            try:
                int(parts[3])
                float(parts[4])
            except ValueError:
                return False
            return True
    return False


def read_run(path):
    """[(qid, docno, rank, score)] of a TREC run file, in its order."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 6:
                raise ValueError("%s line %d: expected qid Q0 docno rank score tag" % (path, lineno))
            rows.append((parts[0], parts[2], int(parts[3]), float(parts[4])))
    return rows


def trec_lines(rows, tag="akhbar"):
    """TREC run lines of (qid, docno, rank, score, ...) rows, as ``search --batch --format trec`` writes them."""
    for row in rows:
        yield "%s Q0 %s %d %.4f %s" % (row[0], row[1], row[2], row[3], tag)
