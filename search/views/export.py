"""Whole result sets out: every article a query matches, as CSV or JSON Lines.

Each shard orders its own articles as one index would (``ResultSet.ranked``:
document numbers and scores, a few bytes per match) and hands them out a
batch at a time with their sort keys (the exact score, or the raw date)
(``ExportBatch``); the caller merges the shards' streams with
``heapq.merge`` (equal keys keep shard order) and asks each shard for its
next batch before the current one runs out.  Each article is read, written
and dropped in turn, so memory holds two batches per shard, never the
result set.  Every row is the hit ``search`` would show for the article.

A shard keeps the ordered sets of its last few exports, so later batches
cost no matching.  A shard that lost them (reopened on another worker after
its own died) matches the query again and goes on from the same place; one
that cannot be reached twice in a row ends the export with ExportBroken.
"""
import csv
import heapq
import io
import json
import threading
import time
from collections import OrderedDict
from itertools import islice

import numpy as np

from search.engine.collector import Collector
from search.engine.engine import shard_label
from transport import PlaceFailed

FORMATS = ("csv", "jsonl")
CSV_FIELDS = ("id", "title", "date", "source", "language", "url", "path", "score", "snippet")
BATCH = 256
KEPT = 4            # ordered sets a shard keeps for the exports under way
_kept = OrderedDict()
_lock = threading.Lock()


class ExportBroken(Exception):
    """A shard stopped answering in the middle of an export."""


class ExportBatch(Collector):
    """``count`` of a shard's articles from ``start`` in ``sort`` order, with their merge keys:
    {total, partial, rows: [(sort key, Hit)]}.  The first batch matches the query afresh;
    later ones read the set the first kept (or match again if it is gone)."""

    def __init__(self, prepared, sort, start, count, time_limit):
        self.prepared, self.sort, self.start, self.count = prepared, sort, start, count
        self.time_limit = time_limit

    def collect(self, shard):
        key = (shard.index_dir, self.prepared, self.sort)
        with _lock:
            kept = _kept.get(key) if self.start else None
        if kept is None:
            kept = self._ordered(shard)
            with _lock:
                _kept[key] = kept
                while len(_kept) > KEPT:
                    _kept.popitem(last=False)
        matched, order, first, second, third = kept
        end = min(self.start + self.count, len(order))
        rows = [((int(first[n]), second[n].item(), int(third[n])), matched.hit(order[n]))
                for n in range(self.start, end)]
        return {"total": matched.total, "partial": matched.partial, "rows": rows}

    def _ordered(self, shard):
        """(ResultSet, its articles in ``sort`` order, and their merge keys as three arrays)."""
        matched = shard.match(self.prepared, time.perf_counter() + self.time_limit)
        if matched.scores is None:          # nothing to search for: nothing to export
            empty = np.zeros(0, np.int64)
            return matched, empty, empty, empty, empty
        order = matched.ranked(self.sort)
        ties = matched.table.order[order]
        if self.sort == "relevance":
            first, second, third = np.zeros(len(order), np.int64), -matched.score_array(order), ties
        else:
            # One index's order: dated articles by date (reversed for newest), undated last.
            dated = matched.table.dated[order]
            date = np.where(dated, matched.table.date[order], 0)
            first, second = (~dated).astype(np.int64), (-date if self.sort == "newest" else date)
            third = np.where(dated & (self.sort == "newest"), -ties, ties)
        return matched, order, first, second, third

    def merge(self, parts, missing):
        return parts, list(missing)


class Export:
    """The articles of QueryOptions ``options`` over every shard of ``engine``, merged in its sort order.

    ``total``, ``partial`` and ``missing`` are known once it is made;
    ``batches`` then reads the articles.  Raises QueryError for a query that
    cannot be read, ShardsUnavailable when no shard answers.
    """

    def __init__(self, engine, options):
        self.engine = engine
        self.sort = options.checked().sort
        self.wait = options.seconds(engine.time_limit)
        self.prepared = engine.read(options)
        firsts, missing = engine.collect(self._batch(0), wait=self.wait)
        self.firsts, self.missing = firsts, missing
        self.total = sum(a["total"] for _, a in firsts)
        self.partial = any(a["partial"] for _, a in firsts) or bool(missing)
        self.written = 0

    def _batch(self, start):
        return ExportBatch(self.prepared, self.sort, start, BATCH, self.wait)

    def _ask(self, i, start):
        """What shard ``i``'s batch from ``start`` will come from; None when the shard could not be asked."""
        try:
            return self.engine.submit(i, self._batch(start))
        except PlaceFailed:
            return None

    def _take(self, i, start, pending):
        if pending is not None:
            try:
                return self.engine.result(i, pending, self.wait)["rows"]
            except PlaceFailed:
                pass
        try:
            # Once more: a lost shard is opened again (elsewhere) and matches the query anew.
            return self.engine.ask(i, self._batch(start), self.wait)["rows"]
        except PlaceFailed as e:
            raise ExportBroken("%s stopped answering after %d of %d articles were written (%s)"
                               % (shard_label(i), self.written, self.total, e.reason))

    def _stream(self, i, first):
        rows, start = first["rows"], 0
        while rows:
            start += len(rows)
            more = start < first["total"]
            ahead = self._ask(i, start) if more else None
            yield from rows
            rows = self._take(i, start, ahead) if more else []

    def batches(self, wrap=None):
        """Lists of search.results.Hit, in order; ``wrap``, when given, wraps the reading of each
        batch (the page holds its searcher lock per batch, never across the whole download)."""
        merged = heapq.merge(*(self._stream(i, a) for i, a in self.firsts), key=lambda row: row[0])

        def read():
            return [hit for _, hit in islice(merged, BATCH)]
        while True:
            batch = wrap(read) if wrap else read()
            if not batch:
                return
            self.written += len(batch)
            yield batch


def csv_row(hit):
    return [hit.id, hit.title, hit.date or "", hit.source, hit.lang, hit.url or "", hit.path,
            "%.4f" % hit.score, hit.snippet.text]


def lines(export, fmt, to_json, batches=None):
    """The export as text chunks (a CSV header first), one per batch of articles.

    ``to_json`` gives a hit's JSON object (the face's ``--json`` hit shape).
    ``batches``, when given, wraps the reading of each batch (see Export.batches).
    """
    if fmt not in FORMATS:
        raise ValueError("format must be one of %s" % ", ".join(FORMATS))
    if fmt == "csv":
        yield csv_text([CSV_FIELDS])
    for batch in export.batches(batches):
        if fmt == "csv":
            yield csv_text(csv_row(h) for h in batch)
        else:
            yield "".join(json.dumps(to_json(h), ensure_ascii=False) + "\n" for h in batch)


# A spreadsheet opening a CSV file runs a cell that starts with one of these as a
# formula (=HYPERLINK(...) sends the reader elsewhere, =cmd|... runs a program):
# OWASP's list for CSV injection.  Titles, sources, ids, contexts and the query
# itself (from a URL anyone can craft) all reach cells.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """``value`` as a CSV cell that a spreadsheet shows rather than runs: text that starts
    like a formula gets a leading apostrophe, as OWASP recommends; other values are kept."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv_rows(out, rows):
    """``rows`` written as CSV to the text file ``out``, every cell through csv_cell: the one
    CSV writer of exports, the page's downloads and the command line."""
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])


def csv_text(rows):
    """``rows`` as CSV text (write_csv_rows)."""
    out = io.StringIO()
    write_csv_rows(out, rows)
    return out.getvalue()


def totals_line(export):
    """What is about to be written, for stderr or a header: the count and whether it is partial."""
    if export.missing:
        return "%d articles (partial: %s did not answer)" % (export.total, ", ".join(export.missing))
    return "%d articles%s" % (export.total,
                              " (partial: the time limit was reached; there may be more)"
                              if export.partial else "")
