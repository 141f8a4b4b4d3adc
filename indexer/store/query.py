"""The index's query nodes: what akhbar builds its queries of, matched by the store.

The engine builds queries as trees of these nodes (search.query.compile) and
scores them as arrays where it can (search.engine.matchset), falling back to
the index's own matchers for the rest.  They are Whoosh's query classes, so a
tree can be matched by Whoosh itself; this module is where the rest of
akhbar gets them, so that Whoosh stays inside indexer.store.

``CoordinatedOr`` is akhbar's own node: an OR whose scores are scaled by the
share of its clauses a document matches.
"""
import copyreg

from whoosh import matching
from whoosh.query import (And, AndMaybe, AndNot, CompoundQuery, DateRange, Every, Not, NullQuery, Or, Phrase,
                          Term)
from whoosh.support.levenshtein import distance as _distance

__all__ = ["And", "AndMaybe", "AndNot", "CompoundQuery", "CoordinatedOr", "DateRange", "Every", "Not",
           "NullQuery", "Or", "Phrase", "Term", "edit_distance", "query_terms"]


def edit_distance(a, b, limit=None):
    """Levenshtein distance of two strings, counting no further than ``limit``."""
    return _distance(a, b, limit=limit) if limit is not None else _distance(a, b)


def query_terms(q):
    """(field, text) of every term ``q`` scores or matches, phrases' words included."""
    return q.iter_all_terms(phrases=True)


class CoordinatedOr(Or):
    """OR whose scores are scaled by the share of its clauses a document matches, to ``power``.

    Whoosh's own ``Or(scale=...)`` counts matched *terms*, so a word with an
    exact form and two stems would count three times; this counts clauses (one
    per query word).
    """

    def __init__(self, subqueries, boost=1.0, power=1.0):
        super().__init__(subqueries, boost=boost)
        self.power = power

    def normalize(self):
        q = super().normalize()
        if isinstance(q, CoordinatedOr):
            q.power = self.power
        return q

    def _matcher(self, subs, searcher, context):
        # Whoosh's hook for a compound query's matcher.
        scored = context.weighting is not None if context else True
        if not scored:
            return super()._matcher(subs, searcher, context)
        totals, counts = {}, {}
        for q in subs:
            m = q.matcher(searcher, context)
            while m.is_active():
                docnum = m.id()
                totals[docnum] = totals.get(docnum, 0.0) + m.score()
                counts[docnum] = counts.get(docnum, 0) + 1
                m.next()
        if not totals:
            return matching.NullMatcher()
        n, p, boost = float(len(subs)), self.power, self.boost
        ids = sorted(totals)
        weights = [boost * totals[d] * (counts[d] / n) ** p for d in ids]
        return matching.ListMatcher(ids, weights=weights)


# Whoosh tests for "matches nothing" by identity (``q is NullQuery``): a
# query sent to another process must come back as that same object.
def _null_query():
    return NullQuery


copyreg.pickle(type(NullQuery), lambda q: (_null_query, ()))
