"""Every document a query matches, with its score, as two arrays.

The exact total and the facets need the whole result set, and on a broad
query Whoosh's block-quality shortcuts skip almost nothing, so the ranking
pass ends up scoring every match anyway, through a tree of matchers that costs
several Python calls per posting.  Here each term's postings are read as
arrays (indexer.store.arrays) and scored at once with Whoosh's BM25F
arithmetic (search.query.ranking.bm25f, the term's boost applied as Whoosh applies
it) into a ``Scored`` pair of arrays kept in a cache bounded in bytes, and the
query tree is evaluated over those: OR adds, AND intersects and adds, AND NOT
removes, AND MAYBE adds where present, as Whoosh's matchers do, and the
coordinated OR of search.query.ranking scales by the share of clauses matched, as
its matcher does.  Sums are made clause by clause in the query's order, as
Whoosh's matchers make them, so the floats are the same, not merely close
(tests/test_search_scores.py pins the two against each other).  Query types
without an array form here (phrases, ranges, Every) are enumerated through
Whoosh's own matcher, so their scores are Whoosh's too.
"""
import copy
import threading
from collections import OrderedDict
from typing import NamedTuple

import numpy as np
from indexer.store import arrays, terms
from indexer.store import query as iq
from indexer.store.scoring import field_b, is_bm25f

from search.query.deadline import past
from search.query.ranking import CollectionStats, bm25f

# Bound of the per-term cache: 12 bytes a posting (int32 id, float64 score).
DEFAULT_CACHE_BYTES = 256 * 1024 * 1024
_CHECK_EVERY = 4096
# A union of this share of the index or more is summed in index-sized arrays
# rather than sorted: both add in the same order.
_DENSE_SHARE = 1 / 16


class Scored(NamedTuple):
    """Matching document numbers (ascending, int32) and their scores (float64)."""
    ids: np.ndarray
    scores: np.ndarray

    def __len__(self):
        return len(self.ids)

    def as_dict(self):
        return dict(zip(self.ids.tolist(), self.scores.tolist()))


NOTHING = Scored(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64))


class PartialMatch(Exception):
    """The deadline passed; ``found`` holds what was scored so far.

    Every document in ``found`` does match the query (its score may lack the
    parts not reached): a part that cannot say so without the rest (an AND,
    an AND NOT) gives up its documents rather than guess.
    """

    def __init__(self, found):
        super().__init__("time limit reached")
        self.found = found


class _TermCache:
    """Scored terms, most recently used kept, bounded in bytes; safe to share between threads."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._found = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._found.get(key)
            if found is not None:
                self._found.move_to_end(key)
            return found

    def put(self, key, found):
        size = found.ids.nbytes + found.scores.nbytes
        with self._lock:
            if key not in self._found and size <= self.max_bytes:
                self._found[key] = found
                self.nbytes += size
            while self.nbytes > self.max_bytes and self._found:
                _, old = self._found.popitem(last=False)
                self.nbytes -= old.ids.nbytes + old.scores.nbytes


class MatchSets:
    """Scored, set-valued evaluation of Whoosh queries over one searcher.

    ``stats`` (search.query.ranking.CollectionStats by default) supplies the
    document count, document frequencies and field lengths BM25F uses.
    """

    def __init__(self, searcher, stats=None, max_cache_bytes=DEFAULT_CACHE_BYTES):
        self.searcher = searcher
        self.stats = stats or CollectionStats(searcher.reader())
        self.size = searcher.doc_count_all()
        self.max_cache_bytes = max_cache_bytes
        self._segments = [(sub.reader(), offset) for sub, offset in arrays.segment_searchers(searcher)]
        self._cache = _TermCache(max_cache_bytes)
        self._lengths = {}
        self._scorable = set(terms.scorable_fields(searcher))

    def for_searcher(self, searcher, stats):
        """These MatchSets reading through ``searcher`` and ``stats``, another searcher of
        the same index generation and its statistics (one per thread: Whoosh's files are
        read at a shared position), with the term cache and the length tables shared
        rather than built again."""
        view = copy.copy(self)
        view.searcher = searcher
        view.stats = stats
        view._segments = [(sub.reader(), offset) for sub, offset in arrays.segment_searchers(searcher)]
        return view

    def cache_bytes(self):
        return self._cache.nbytes

    def field_lengths(self, field):
        """The length byte of ``field`` in every document (uint8, one per document)."""
        lengths = self._lengths.get(field)
        if lengths is None:
            parts = [arrays.field_length_bytes(seg, field) for seg, _ in self._segments]
            lengths = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint8)
            self._lengths[field] = lengths
        return lengths

    def _postings(self, field, btext):
        """(ids, weights) of one term over the whole index."""
        ids, weights = [], []
        for seg, offset in self._segments:
            i, w = arrays.term_postings(seg, field, btext)
            if len(i):
                ids.append(i + np.int32(offset))
                weights.append(w)
        if not ids:
            return NOTHING
        return Scored(np.concatenate(ids), np.concatenate(weights))

    def _score_term(self, q):
        """Scored of one Term, or None when the model is not one scored here."""
        field = q.fieldname
        btext = terms.term_bytes(self.searcher, field, q.text)
        if btext is terms.FIELD_MISSING:
            return NOTHING
        model = self.searcher.weighting
        if not is_bm25f(model):
            return None
        ids, tf = self._postings(field, btext)
        if not len(ids):
            return NOTHING
        if field in self._scorable:
            B = field_b(model, field)
            lengths = arrays.BYTE_TO_LENGTH[self.field_lengths(field)[ids]]
            scores = bm25f(tf, lengths, self.stats.idf(field, btext), self.stats.avg_field_length(field),
                           B, model.K1)
        else:
            scores = tf          # Whoosh scores an unscorable field by the posting's weight
        if q.boost != 1.0:
            scores = scores * q.boost
        return Scored(ids, scores)

    def _enumerate(self, q, deadline):
        """Scored of any query, read from Whoosh's matcher for it."""
        ids, scores = [], []
        for n, (docnum, score) in enumerate(terms.matches(arrays.segment_searchers(self.searcher), q), 1):
            ids.append(docnum)
            scores.append(score)
            if deadline is not None and n % _CHECK_EVERY == 0 and past(deadline):
                raise PartialMatch(_scored(ids, scores))
        return _scored(ids, scores)

    def term(self, q, deadline=None):
        """Scored of one Term query (cached; most recently used kept)."""
        key = (q.fieldname, q.text, q.boost)
        found = self._cache.get(key)
        if found is None:
            found = self._score_term(q)
            if found is None:
                found = self._enumerate(q, deadline)
            self._cache.put(key, found)
        return found

    def scores(self, q, deadline=None):
        """Scored of every document ``q`` matches; PartialMatch past ``deadline``."""
        return self._eval(q, deadline)

    def _eval(self, q, deadline):
        if deadline is not None and past(deadline):
            raise PartialMatch(NOTHING)
        if isinstance(q, iq.Term):
            return self.term(q, deadline)
        if isinstance(q, iq.CompoundQuery) and len(q.subqueries) == 1:
            return self._eval(q.subqueries[0], deadline)     # as CompoundQuery.matcher does
        if type(q) is iq.CoordinatedOr:
            return self._coordinated(q, deadline)
        if getattr(q, "boost", 1.0) != 1.0:
            return self._enumerate(q, deadline)
        if type(q) is iq.Or and not q.minmatch and not q.scale:
            return self._union(q.subqueries, deadline)
        if type(q) is iq.And:
            return self._intersection(q.subqueries, deadline)
        if isinstance(q, iq.AndNot):
            a, b = self._all_or_nothing((q.a, q.b), deadline)
            keep = ~_member(a.ids, b.ids)
            return Scored(a.ids[keep], a.scores[keep])
        if isinstance(q, iq.AndMaybe):
            a = self._eval(q.a, deadline)
            try:
                b = self._eval(q.b, deadline)
            except PartialMatch as p:
                # The documents are a's either way; only b's share of the scores is short.
                raise PartialMatch(_maybe(a, p.found))
            return _maybe(a, b)
        if q is iq.NullQuery:
            return NOTHING
        return self._enumerate(q, deadline)

    def _each(self, subqueries, deadline, combine):
        """combine(Scored of each subquery); past the deadline, PartialMatch(combine(those done))."""
        parts = []
        for sub in subqueries:
            try:
                parts.append(self._eval(sub, deadline))
            except PartialMatch as p:
                parts.append(p.found)
                raise PartialMatch(combine(parts))
        return combine(parts)

    def _all_or_nothing(self, subqueries, deadline):
        """Scored of each subquery, or PartialMatch(NOTHING) if any was cut short."""
        try:
            return [self._eval(sub, deadline) for sub in subqueries]
        except PartialMatch:
            raise PartialMatch(NOTHING)

    def _union(self, subqueries, deadline):
        return self._each(subqueries, deadline, lambda parts: union(parts, self.size)[0])

    def _coordinated(self, q, deadline):
        """indexer.store.query.CoordinatedOr: the sum scaled by the share of clauses matched."""
        return self._each(q.subqueries, deadline, lambda parts: self._coordinate(q, parts))

    def _coordinate(self, q, parts):
        totals, counts = union(parts, self.size, count=True)
        n, p, boost = float(len(q.subqueries)), q.power, q.boost
        # A document matches 1..n clauses: the n possible factors are worked
        # out once (the same expression as the matcher's, so the same floats).
        share = np.array([(c / n) ** p for c in range(len(q.subqueries) + 1)])
        return Scored(totals.ids, boost * totals.scores * share[counts])

    def _intersection(self, subqueries, deadline):
        positives = [s for s in subqueries if not isinstance(s, iq.Not)]
        negatives = [s.query for s in subqueries if isinstance(s, iq.Not)]
        if not positives:
            return self._enumerate(iq.And(subqueries), deadline)
        parts = self._all_or_nothing(positives, deadline)
        keys = min(parts, key=len).ids
        for part in parts:
            keys = keys[_member(keys, part.ids)]
        for excluded in self._all_or_nothing(negatives, deadline):
            keys = keys[~_member(keys, excluded.ids)]
        total = np.zeros(len(keys))
        for part in parts:
            total += part.scores[np.searchsorted(part.ids, keys)]
        return Scored(keys, total)


def _maybe(a, b):
    """AND MAYBE: a's documents, with b's score added where b has them too."""
    where = _positions(b.ids, a.ids)
    present = where >= 0
    scores = a.scores.copy()
    scores[present] = a.scores[present] + b.scores[where[present]]
    return Scored(a.ids, scores)


def _scored(ids, scores):
    """Scored from lists in ascending document order."""
    return Scored(np.array(ids, dtype=np.int32), np.array(scores, dtype=np.float64))


def _member(ids, among):
    """Which of the sorted ``ids`` are in the sorted ``among`` (a bool array)."""
    if not len(among) or not len(ids):
        return np.zeros(len(ids), dtype=bool)
    at = np.searchsorted(among, ids)
    at[at == len(among)] = 0
    return among[at] == ids


def _positions(among, ids):
    """Index in sorted ``among`` of each of the sorted ``ids``, -1 where absent."""
    if not len(among):
        return np.full(len(ids), -1)
    at = np.searchsorted(among, ids)
    at[at == len(among)] = 0
    return np.where(among[at] == ids, at, -1)


def union(parts, size, count=False):
    """(Scored sum of ``parts``, how many parts hold each document or None).

    Each document's score is added up part by part in order, starting from
    its first part's score, as Whoosh's union matcher adds.
    """
    parts = [p for p in parts if len(p)]
    if not parts:
        return NOTHING, (np.zeros(0, dtype=np.int64) if count else None)
    if len(parts) == 1 and not count:
        return parts[0], None
    total = sum(len(p) for p in parts)
    if total >= size * _DENSE_SHARE:
        acc = np.zeros(size)
        for p in parts:
            acc[p.ids] += p.scores
        if count:
            hits = np.zeros(size, dtype=np.uint16)
            for p in parts:
                hits[p.ids] += 1
            ids = np.flatnonzero(hits != 0).astype(np.int32)
            return Scored(ids, acc[ids]), hits[ids]
        seen = np.zeros(size, dtype=bool)
        for p in parts:
            seen[p.ids] = True
        ids = np.flatnonzero(seen).astype(np.int32)
        return Scored(ids, acc[ids]), None
    ids = sorted_union([p.ids for p in parts])
    acc = np.zeros(len(ids))
    hits = np.zeros(len(ids), dtype=np.uint16) if count else None
    for p in parts:
        at = np.searchsorted(ids, p.ids)
        acc[at] += p.scores
        if count:
            hits[at] += 1
    return Scored(ids, acc), hits


def sorted_union(runs):
    """The distinct values of ascending arrays ``runs``, ascending.

    A stable sort of the joined runs is a merge (timsort finds the runs), far
    cheaper than ``np.unique``, which hashes integers since numpy 2.
    """
    joined = np.sort(np.concatenate(runs), kind="stable")
    if not len(joined):
        return joined
    fresh = np.empty(len(joined), dtype=bool)
    fresh[0] = True
    np.not_equal(joined[1:], joined[:-1], out=fresh[1:])
    return joined[fresh]
