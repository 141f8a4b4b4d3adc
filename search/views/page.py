"""The results page: ranked hits, the exact total and facets, from every shard.

Every matching document is scored (search.engine.matchset): the exact total,
the facets and the date sorts need the whole result set, and the page is its
best-scored part.  Each shard ranks its own matches and sends the sort keys
of its best ``page * limit`` with its total and facet counts
(``PageCollector``); every shard scores with the archive's statistics, so
merging is a sort.  The page's hits (stored fields, snippets) are then made
by the shards holding them, and by no other (``HitsCollector``).

One rule picks the article shown for a set of exact duplicates, whatever
the layout: the copy with the lowest document number in the shard holding
them (an article's copies share a shard: indexer.shards routes by their
duplicate key).
"""
import itertools
import os
import time

import numpy as np

from search.engine.collector import Collector
from search.engine.table import preferred
from search.engine.engine import ShardsUnavailable, shard_label
from search.results import SearchResults

_pages = itertools.count()


class ShardPage:
    """A shard's part of one results page: its best hits with their sort keys, counts and facets."""

    def __init__(self, total, hits, facets=None, partial=False):
        self.total = total
        self.hits = hits                  # [(merge key, document number, score)], best first
        self.facets = facets or {}
        self.partial = partial


class PageCollector(Collector):
    """The best ``wanted`` distinct articles of a PreparedQuery in ``sort`` order, totals and facets.

    ``keep`` names this match in each shard, so ``HitsCollector`` makes the
    hits shown from the same index generation.
    """

    def __init__(self, prepared, wanted, sort, time_limit, facets=True, keep=None):
        self.prepared, self.wanted, self.sort = prepared, wanted, sort
        self.time_limit, self.facets, self.keep = time_limit, facets, keep

    def collect(self, shard):
        matched = shard.match(self.prepared, time.perf_counter() + self.time_limit)
        if matched.scores is None:
            return ShardPage(0, [])
        table = matched.table
        if self.sort == "relevance":
            found = [((-score, int(table.order[d])), d, score) for d, score in best(matched.scores, table, self.wanted)]
        else:
            docs = matched.ranked(self.sort)[:self.wanted]
            found = [(_date_key(table, d, self.sort), int(d), float(score))
                     for d, score in zip(docs.tolist(), matched.score_array(docs).tolist())]
        if self.keep is not None:
            shard.keep(self.keep, matched)
        return ShardPage(matched.total, found, table.facets(matched.articles) if self.facets else {},
                         matched.partial)

    def merge(self, parts, missing):
        """(ranked [(key, shard, n, docnum, score)], total, facets, partial, missing)."""
        ranked = sorted((key, i, n, d, score) for i, p in parts for n, (key, d, score) in enumerate(p.hits))
        facets = merge_facets([p.facets for _, p in parts]) if self.facets else {}
        return (ranked, sum(p.total for _, p in parts), facets,
                any(p.partial for _, p in parts) or bool(missing), list(missing))


class HitsCollector(Collector):
    """The search.results.Hit of each (document number, score) chosen in each shard, from the
    match a PageCollector kept as ``keep``."""

    def __init__(self, keep, chosen):
        self.keep = keep
        self.chosen = chosen              # {shard number: [(docnum, score)]}

    def collect(self, shard):
        kept = shard.kept(self.keep)
        if kept is None:
            return None
        s, table, matcher = kept
        return [shard.hit(s, table, d, score, matcher) for d, score in self.chosen[shard.number]]

    def merge(self, parts, missing):
        """({shard: its hits in the order chosen}, names of the shards that could not make theirs)."""
        made = {i: hits for i, hits in parts if hits is not None}
        lost = list(missing) + [shard_label(i) for i, hits in parts if hits is None]
        return made, lost


def search(engine, options, facets=True, suggestions=True):
    """The SearchResults of QueryOptions ``options``; raises QueryError for what cannot be read.

    ``options.time_limit`` (seconds, default the engine's) bounds the
    matching; when it runs out the results so far are returned with
    ``partial`` set.  ``missing`` names shards that did not answer.
    """
    started = time.perf_counter()
    options = options.checked()
    engine.archive.tables()          # loaded outside the limit: a first search must not come back empty
    deadline = engine.deadline(options)
    prepared = engine.read(options, deadline)
    results = SearchResults(query=options.text, total=0, page=options.page, limit=options.limit, hits=[],
                            interpretation=prepared.interpretation, expansions=prepared.expansions)
    if prepared.query is None:
        results.seconds = time.perf_counter() - started
        return results
    wanted = options.page * options.limit
    left = max(0.0, deadline - time.perf_counter())
    keep = "%d-%d" % (os.getpid(), next(_pages))
    ranked, total, merged_facets, partial, missing = engine.collect(
        PageCollector(prepared, wanted, options.sort, left, facets=facets, keep=keep), wait=left)
    results.hits = _hits(engine, keep, ranked[(options.page - 1) * options.limit: wanted], missing)
    results.total = total
    results.facets = merged_facets
    results.missing = missing
    results.partial = partial or prepared.cut or bool(missing)
    if suggestions and prepared.tree is not None and not (time.perf_counter() > deadline):
        results.suggestion = engine.archive.suggestion(options.text, results.total, deadline)
    results.seconds = time.perf_counter() - started
    return results


def _hits(engine, keep, shown, missing):
    """The Hits of the merged page ``shown`` [(key, shard, n, docnum, score)], each made by its
    shard; a shard that fails now joins ``missing`` and its hits are left out."""
    chosen = {}
    for _, i, _, d, score in shown:
        chosen.setdefault(i, []).append((d, score))
    if not chosen:
        return []
    try:
        made, lost = engine.collect(HitsCollector(keep, chosen), shards=sorted(chosen))
    except ShardsUnavailable as e:
        made, lost = {}, e.missing
    missing.extend(m for m in lost if m not in missing)
    made = {i: iter(hits) for i, hits in made.items()}
    return [next(made[i]) for _, i, _, _, _ in shown if i in made]


def best(found, table, wanted):
    """[(docnum, score)] of the ``wanted`` best distinct articles, best first.

    Ties go by the table's tie order (a digest of the text), then the lower document number.
    """
    ids, scores = found
    size = wanted + 10
    while True:
        if len(ids) > size:
            # The size-th best score is the cut; documents tied with it may
            # lie on either side of the partition, so all of them are taken
            # and the lowest numbers win as they should.
            floor = np.partition(scores, len(scores) - size)[len(scores) - size]
            pick = np.flatnonzero(scores >= floor)
        else:
            pick = np.arange(len(ids))
        top = pick[np.lexsort((ids[pick], table.order[ids[pick]], -scores[pick]))][:size]
        kept = table.collapse(ids[top])
        if len(kept) >= wanted or len(top) < size:
            score_of = dict(zip(ids[top].tolist(), scores[top].tolist()))
            return [(preferred(table, found, d, score_of[d]), score_of[d]) for d in kept[:wanted]]
        size *= 2


def _date_key(table, docnum, sort):
    """Merge key of a document in a date sort: dated ones first, by date and then tie order (both
    reversed for newest); undated last either way, by tie order (as ArticleTable.by_date orders them)."""
    order = int(table.order[docnum])
    if not table.dated[docnum]:
        return (1, order)
    date = int(table.date[docnum])
    return (0, -date, -order) if sort == "newest" else (0, date, order)


def merge_facets(parts):
    """Facet counts of several shards added up, ordered as one index orders them."""
    out = {}
    for part in parts:
        for name, counts in part.items():
            total = out.setdefault(name, {})
            for k, v in counts.items():
                total[k] = total.get(k, 0) + v
    return {name: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for name, c in out.items()}


__all__ = ["HitsCollector", "PageCollector", "best", "merge_facets", "search"]
