"""Whole result sets out: every article a query matches, as CSV or JSON Lines.

The set is ordered once as arrays (``ResultSet.ranked``: document numbers and
scores, a few bytes per match); each article is then read, written and
dropped in turn, so memory does not grow with the number of matches beyond
those arrays.  Every row is the hit ``search`` would show for the article.
"""
import csv
import io
import json

FORMATS = ("csv", "jsonl")
CSV_FIELDS = ("id", "title", "date", "source", "language", "url", "path", "score", "snippet")
BATCH = 256


def csv_row(hit):
    return [hit.id, hit.title, hit.date or "", hit.source, hit.lang, hit.url or "", hit.path,
            "%.4f" % hit.score, hit.snippet.text]


def lines(result_set, fmt, to_json, sort="relevance", batches=None):
    """The export as text chunks (a CSV header first), one per ``BATCH`` articles.

    ``to_json`` gives a hit's JSON object (the face's ``--json`` hit shape).
    ``batches``, when given, wraps the reading of each batch (the page uses it
    to hold its searcher lock per batch, never across the whole download).
    """
    if fmt not in FORMATS:
        raise ValueError("format must be one of %s" % ", ".join(FORMATS))
    order = result_set.ranked(sort)
    if fmt == "csv":
        yield _csv([CSV_FIELDS])
    for start in range(0, len(order), BATCH):
        def read(chunk=order[start:start + BATCH]):
            return [result_set.hit(d) for d in chunk.tolist()]
        batch = batches(read) if batches else read()
        if fmt == "csv":
            yield _csv(csv_row(h) for h in batch)
        else:
            yield "".join(json.dumps(to_json(h), ensure_ascii=False) + "\n" for h in batch)


def _csv(rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def totals_line(result_set):
    """What is about to be written, for stderr or a header: the count and whether it is partial."""
    return "%d articles%s" % (result_set.total,
                              " (partial: the time limit was reached; there may be more)"
                              if result_set.partial else "")
