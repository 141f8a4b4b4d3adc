"""Whole result sets out: every article a query matches, as CSV or JSON Lines.

The set is ordered once as arrays (``ResultSet.ranked``: document numbers and
scores, a few bytes per match); each article is then read, written and
dropped in turn, so memory does not grow with the number of matches beyond
those arrays.  Every row is the hit ``search`` would show for the article.

A sharded index is exported the same way in each shard, and the shards'
ordered streams are merged here a batch at a time (search.export_shards), so
the caller holds a batch per shard, never the result set.
"""
import csv
import io
import json

FORMATS = ("csv", "jsonl")
CSV_FIELDS = ("id", "title", "date", "source", "language", "url", "path", "score", "snippet")
BATCH = 256


class OneIndexExport:
    """The articles of one index's ResultSet in ``sort`` order, read a batch at a time."""

    missing = ()

    def __init__(self, result_set, sort="relevance"):
        self.result_set = result_set
        self.sort = sort
        self.total, self.partial = result_set.total, result_set.partial

    def batches(self, wrap=None):
        order = self.result_set.ranked(self.sort)
        for start in range(0, len(order), BATCH):
            def read(chunk=order[start:start + BATCH]):
                return [self.result_set.hit(d) for d in chunk.tolist()]
            yield wrap(read) if wrap else read()


def open_export(searcher, query, sort="relevance", **options):
    """The export of ``query`` (options those of ``Searcher.result_set``) over one index or a sharded one.

    Raises QueryError for a query that cannot be read, ShardsUnavailable when no shard answers.
    """
    from search.engine.engine import ShardedSearcher
    if isinstance(searcher, ShardedSearcher):
        from search.export_shards import ShardedExport
        return ShardedExport(searcher, searcher.read_query(query, **options), sort, options)
    return OneIndexExport(searcher.result_set(query, **options), sort)


def csv_row(hit):
    return [hit.id, hit.title, hit.date or "", hit.source, hit.lang, hit.url or "", hit.path,
            "%.4f" % hit.score, hit.snippet.text]


def lines(export, fmt, to_json, batches=None):
    """The export as text chunks (a CSV header first), one per batch of articles.

    ``to_json`` gives a hit's JSON object (the face's ``--json`` hit shape).
    ``batches``, when given, wraps the reading of each batch (the page uses it
    to hold its searcher lock per batch, never across the whole download).
    """
    if fmt not in FORMATS:
        raise ValueError("format must be one of %s" % ", ".join(FORMATS))
    if fmt == "csv":
        yield _csv([CSV_FIELDS])
    for batch in export.batches(batches):
        if fmt == "csv":
            yield _csv(csv_row(h) for h in batch)
        else:
            yield "".join(json.dumps(to_json(h), ensure_ascii=False) + "\n" for h in batch)


def _csv(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def totals_line(export):
    """What is about to be written, for stderr or a header: the count and whether it is partial."""
    if export.missing:
        return "%d articles (partial: %s did not answer)" % (export.total, ", ".join(export.missing))
    return "%d articles%s" % (export.total,
                              " (partial: the time limit was reached; there may be more)"
                              if export.partial else "")
