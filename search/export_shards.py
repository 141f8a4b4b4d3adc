"""Exporting a sharded index's whole result set: each shard streams its articles in order, merged here.

Each shard orders its own articles as one index would (``ResultSet.ranked``)
and hands them out a batch at a time with their sort keys (the exact score,
or the raw date); the caller merges the shards' streams with ``heapq.merge``
(equal keys keep shard order) and asks each shard for its next batch before
the current one runs out.  Memory on the caller is two batches per shard.

A shard keeps the ordered sets of its last few exports, so later batches
cost no matching.  A shard that lost them (reopened on another worker after
its own died) matches the query again and goes on from the same place; one
that cannot be reached twice in a row ends the export with ExportBroken.
"""
import heapq
import threading
from collections import OrderedDict
from itertools import islice

import numpy as np

from search.views.export import BATCH
from search.engine.engine import ANSWER_GRACE, ShardFailed, shard_label

KEPT = 4            # ordered sets a shard keeps for the exports under way
_kept = OrderedDict()
_lock = threading.Lock()


class ExportBroken(Exception):
    """A shard stopped answering in the middle of an export."""


def shard_batch(searcher, query, options, sort, start, count=BATCH):
    """{total, partial, rows: [(sort key, Hit)]} of ``count`` of this shard's articles from ``start``, in ``sort`` order.

    The first batch matches the query afresh; later ones read the set kept
    by the first (or match again if it is gone).
    """
    key = (id(searcher), query, tuple(sorted(options.items())), sort)
    with _lock:
        kept = _kept.get(key) if start else None
    if kept is None:
        kept = _ordered(searcher, query, options, sort)
        with _lock:
            _kept[key] = kept
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    matched, order, first, second = kept
    end = min(start + count, len(order))
    rows = [((int(first[n]), second[n].item()), matched.hit(order[n])) for n in range(start, end)]
    return {"total": matched.total, "partial": matched.partial, "rows": rows}


def _ordered(searcher, query, options, sort):
    """(ResultSet, its articles in ``sort`` order, and their merge keys as two arrays)."""
    matched = searcher.result_set(query, **options)
    order = matched.ranked(sort)
    if sort == "relevance":
        first, second = np.zeros(len(order), np.int64), -matched.score_array(order)
    else:
        # One index's order: dated articles by date (reversed for newest), undated last.
        dated = matched.table.dated[order]
        date = np.where(dated, matched.table.date[order], 0)
        first, second = (~dated).astype(np.int64), (-date if sort == "newest" else date)
    return matched, order, first, second


class ShardedExport:
    """The articles of a query over every shard of a ShardedSearcher, merged in ``sort`` order."""

    def __init__(self, searcher, query, sort, options):
        self.searcher = searcher
        self.args = (query, dict(options), sort)
        self.batch = BATCH
        limit = options.get("time_limit")
        self.wait = searcher.time_limit if limit is None else limit
        firsts, missing = searcher.each(shard_batch, *self.args, 0, self.batch, wait=self.wait)
        self.firsts, self.missing = firsts, list(missing)
        self.total = sum(a["total"] for _, a in firsts)
        self.partial = any(a["partial"] for _, a in firsts) or bool(missing)
        self.written = 0

    def _ask(self, i, start):
        """The future of shard ``i``'s batch from ``start``; None when the shard could not be asked."""
        try:
            return self.searcher.shards.submit(i, "run", shard_batch, self.args + (start, self.batch), {})
        except ShardFailed:
            return None

    def _take(self, i, start, future):
        if future is not None:
            try:
                return self.searcher.shards.result(i, future, self.wait + ANSWER_GRACE)["rows"]
            except ShardFailed:
                pass
        try:
            # Once more: a lost shard is opened again (elsewhere) and matches the query anew.
            return self.searcher.ask(i, shard_batch, *self.args, start, self.batch, wait=self.wait)["rows"]
        except ShardFailed as e:
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
        merged = heapq.merge(*(self._stream(i, a) for i, a in self.firsts), key=lambda row: row[0])

        def read():
            return [hit for _, hit in islice(merged, self.batch)]
        while True:
            batch = wrap(read) if wrap else read()
            if not batch:
                return
            self.written += len(batch)
            yield batch
