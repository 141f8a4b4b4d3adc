"""Every document a query matches, with its score, as one mapping.

The exact total and the facets need the whole result set, and on a broad
query Whoosh's block-quality shortcuts skip almost nothing, so the ranking
pass ends up scoring every match anyway, through a tree of union matchers that
costs several Python calls per posting per level.  Here each term's postings
are scored once by Whoosh's own scorer (the BM25F of search.ranking, the
term's boost applied exactly as Whoosh applies it) into a
``{docnum: score}`` map kept in a bounded cache, and the query tree is
evaluated over those maps: OR adds, AND intersects and adds, AND NOT removes,
AND MAYBE adds where present, as Whoosh's matchers do, and the coordinated OR
of search.ranking scales by the share of clauses matched, as its matcher does
(tests/test_search_scores.py pins the two against each other).  Query types without a
map form here (phrases, ranges, Every) are enumerated through Whoosh's own
matcher, so their scores are Whoosh's too.
"""
import threading
import time
from collections import Counter, OrderedDict
from itertools import chain
from operator import add

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.scoring import BM25FScorer

from .ranking import CoordinatedOr

DEFAULT_CACHE_POSTINGS = 2_000_000
_CHECK_EVERY = 4096


def past(deadline):
    """Whether the time.perf_counter() ``deadline`` has passed."""
    return time.perf_counter() > deadline


class PartialMatch(Exception):
    """The deadline passed; ``found`` maps what was scored so far."""

    def __init__(self, found):
        super().__init__("time limit reached")
        self.found = found


class MatchSets:
    """Scored, set-valued evaluation of Whoosh queries over one searcher."""

    def __init__(self, searcher, max_cached=DEFAULT_CACHE_POSTINGS):
        self.searcher = searcher
        self.max_cached = max_cached
        self._cache = OrderedDict()
        self._cached = 0
        self._lock = threading.Lock()
        self._lengths = {}

    def _field_lengths(self, sub, field):
        """Length of ``field`` in every document of one segment (None where absent)."""
        key = (id(sub), field)
        lengths = self._lengths.get(key)
        if lengths is None:
            reader = sub.reader()
            lengths = [reader.doc_field_length(d, field, 1) for d in range(reader.doc_count_all())]
            self._lengths[key] = lengths
        return lengths

    def _term_blocks(self, q, sub, offset, out):
        """Score one term's postings block by block; False when the fast path does not apply.

        Whoosh would score posting by posting through four layers of matcher
        and scorer calls; the arithmetic here is BM25FScorer's, term by term
        in the same order (tests/test_search_scores.py checks equality).
        """
        field = q.fieldname
        if field not in sub.schema:
            return True
        try:
            btext = sub.schema[field].to_bytes(q.text)
        except ValueError:
            return True
        reader = sub.reader()
        if (field, btext) not in reader:
            return True
        scorer = sub.weighting.scorer(sub, field, btext)
        m = reader.postings(field, btext)
        if type(scorer) is not BM25FScorer or type(m) is not W3LeafMatcher:
            return False
        lengths = self._field_lengths(sub, field)
        idf, avgfl, B, K1, boost = scorer.idf, scorer.avgfl, scorer.B, scorer.K1, q.boost
        while m.is_active():
            m._read_ids()
            m._read_weights()
            for d, tf in zip(m._ids, m._weights):
                s = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * lengths[d] / avgfl)))
                out[d + offset] = s * boost if boost != 1.0 else s
            if m._lastblock:
                break
            m._next_block()
        return True

    def _enumerate(self, q, deadline):
        """{docnum: score} of any query, read from Whoosh's matcher for it."""
        out = {}
        for sub, offset in self.searcher.leaf_searchers():
            m = q.matcher(sub, sub.context())
            n = 0
            while m.is_active():
                out[m.id() + offset] = m.score()
                m.next()
                n += 1
                if deadline is not None and n % _CHECK_EVERY == 0 and past(deadline):
                    raise PartialMatch(out)
        return out

    def term(self, q, deadline=None):
        """{docnum: score} of one Term query (cached; most recently used kept)."""
        key = (q.fieldname, q.text, q.boost)
        with self._lock:
            scores = self._cache.get(key)
            if scores is not None:
                self._cache.move_to_end(key)
                return scores
        scores = {}
        for sub, offset in self.searcher.leaf_searchers():
            if not self._term_blocks(q, sub, offset, scores):
                scores = self._enumerate(q, deadline)
                break
        with self._lock:
            if key not in self._cache:
                self._cache[key] = scores
                self._cached += len(scores)
            while self._cached > self.max_cached and len(self._cache) > 1:
                _, old = self._cache.popitem(last=False)
                self._cached -= len(old)
        return scores

    def scores(self, q, deadline=None):
        """{docnum: score} of every document ``q`` matches; PartialMatch past ``deadline``."""
        found = self._eval(q, deadline)
        if deadline is not None and past(deadline):
            raise PartialMatch(found)
        return found

    def _eval(self, q, deadline):
        if deadline is not None and past(deadline):
            raise PartialMatch({})
        if isinstance(q, wq.Term):
            return self.term(q, deadline)
        if isinstance(q, wq.CompoundQuery) and len(q.subqueries) == 1:
            return self._eval(q.subqueries[0], deadline)     # as CompoundQuery.matcher does
        if type(q) is CoordinatedOr:
            return self._coordinated(q, deadline)
        if getattr(q, "boost", 1.0) != 1.0:
            return self._enumerate(q, deadline)
        if type(q) is wq.Or and not q.minmatch and not q.scale:
            return self._union(q.subqueries, deadline)
        if type(q) is wq.And:
            return self._intersection(q.subqueries, deadline)
        if isinstance(q, wq.AndNot):
            a = self._eval(q.a, deadline)
            b = self._eval(q.b, deadline)
            return {d: s for d, s in a.items() if d not in b}
        if isinstance(q, wq.AndMaybe):
            a = self._eval(q.a, deadline)
            b = self._eval(q.b, deadline)
            return {d: (s + b[d] if d in b else s) for d, s in a.items()}
        if q is wq.NullQuery:
            return {}
        return self._enumerate(q, deadline)

    def _union(self, subqueries, deadline):
        maps = []
        for sub in subqueries:
            try:
                maps.append(self._eval(sub, deadline))
            except PartialMatch as p:
                maps.append(p.found)
                raise PartialMatch(_add(maps))
        return _add(maps)

    def _coordinated(self, q, deadline):
        """search.ranking.CoordinatedOr: the sum scaled by the share of clauses matched."""
        maps = [self._eval(sub, deadline) for sub in q.subqueries]
        totals = _add(maps)
        counts = Counter(chain.from_iterable(maps))
        n, p, boost = float(len(q.subqueries)), q.power, q.boost
        # A document matches 1..n clauses: the n possible factors are worked
        # out once rather than per document (the same expression, so the
        # same floats).
        share = [(c / n) ** p for c in range(len(q.subqueries) + 1)]
        return {d: boost * s * share[counts[d]] for d, s in totals.items()}

    def _intersection(self, subqueries, deadline):
        positives = [s for s in subqueries if not isinstance(s, wq.Not)]
        negatives = [s.query for s in subqueries if isinstance(s, wq.Not)]
        if not positives:
            return self._enumerate(wq.And(subqueries), deadline)
        maps = [self._eval(s, deadline) for s in positives]
        smallest = min(maps, key=len)
        keys = set(smallest).intersection(*(m for m in maps if m is not smallest))
        for n in negatives:
            keys.difference_update(self._eval(n, deadline))
        out = {}
        for d in keys:
            total = 0.0
            for m in maps:
                total += m[d]
            out[d] = total
        return out


def _add(maps):
    """Sum of score maps (a document missing from a map adds nothing)."""
    maps = [m for m in maps if m]
    if not maps:
        return {}
    out = dict(maps[0])
    for m in maps[1:]:
        # map/zip keep the per-document work in C; the sums are the same
        # additions, in the same order, as a loop would make.
        common = m.keys() & out.keys()
        fresh = m.keys() - common
        out.update(zip(common, map(add, map(out.__getitem__, common), map(m.__getitem__, common))))
        out.update(zip(fresh, map(m.__getitem__, fresh)))
    return out
